import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiProblems, parseInstant, UuidPipe } from '@app/common';
import { SupportersService, TimeOffDto, TimeOffView } from '@app/supporters';
import { toBookingView } from './booking-view';
import { BookingsService } from './bookings.service';
import { BookingView } from './dto/booking.dto';

export class TimeOffAddedView extends TimeOffView {
  @ApiProperty({
    type: [BookingView],
    description:
      'confirmed sessions of this supporter that the time off overlaps, soonest first: they stay booked until someone reschedules or cancels each (new bookings already avoid the time off)',
  })
  overlappingSessions: BookingView[];
}

/**
 * Adding time off lives here, beside the bookings, because its answer lists
 * the confirmed sessions it overlaps (the supporters library does not read
 * bookings). The time off is stored whatever it overlaps: it wins for new
 * bookings at once; the sessions already made are for a person to move.
 */
@ApiTags('supporters')
@ApiBearerAuth()
@Controller('supporters')
export class TimeOffController {
  constructor(
    private readonly supporters: SupportersService,
    private readonly bookings: BookingsService,
  ) {}

  @Post(':id/time-off')
  @Roles('supporter')
  @ApiOperation({
    summary: 'Add time off (admin; a supporter its own); the answer lists the confirmed sessions it overlaps',
  })
  @ApiCreatedResponse({ type: TimeOffAddedView })
  @ApiProblems(400, 401, 403, 404)
  async addTimeOff(
    @Param('id', UuidPipe) id: string,
    @Body() dto: TimeOffDto,
    @CurrentUser() user: AuthUser,
  ): Promise<TimeOffAddedView> {
    const added = await this.supporters.addTimeOff(id, dto, user);
    const overlapping = await this.bookings.confirmedOfSupporterDuring(
      id,
      parseInstant(added.start)!.toJSDate(),
      parseInstant(added.end)!.toJSDate(),
    );
    return { ...added, overlappingSessions: overlapping.map((b) => toBookingView(b)) };
  }
}
