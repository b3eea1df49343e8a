import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiProblems, UuidPipe } from '@app/common';
import { EndIntakeDto, IntakeView } from '@app/intake';
import { ChangeBookingService } from './change-booking.service';

/**
 * Ending an intake lives here, beside the bookings, because its future
 * sessions are cancelled (and the caller told) in the same transaction.
 */
@ApiTags('intakes')
@ApiBearerAuth()
@Roles('intake')
@Controller('intakes')
export class IntakeEndingController {
  constructor(private readonly bookings: ChangeBookingService) {}

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "End an intake: the supporter's place is free, and future sessions are cancelled with notice to the caller",
  })
  @ApiOkResponse({ type: IntakeView })
  @ApiProblems(400, 401, 403, 404, { 409: ['invalid_transition'] })
  close(
    @Param('id', UuidPipe) id: string,
    @Body() dto: EndIntakeDto,
    @CurrentUser() user: AuthUser,
  ): Promise<IntakeView> {
    return this.bookings.endIntake(id, 'closed', user, dto?.reason);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({
    summary: "The caller withdraws: the supporter's place is free, and future sessions are cancelled with notice",
  })
  @ApiOkResponse({ type: IntakeView })
  @ApiProblems(400, 401, 403, 404, { 409: ['invalid_transition'] })
  withdraw(
    @Param('id', UuidPipe) id: string,
    @Body() dto: EndIntakeDto,
    @CurrentUser() user: AuthUser,
  ): Promise<IntakeView> {
    return this.bookings.endIntake(id, 'withdrawn', user, dto?.reason);
  }
}
