import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiProblems, UuidPipe } from '@app/common';
import {
  CallerLookupQuery,
  CallerLookupResponse,
  CallerRecordView,
  CreateEscalationDto,
  ErasureView,
  EscalationList,
  EscalationView,
} from './dto/privacy.dto';
import { PrivacyService } from './privacy.service';

@ApiTags('callers')
@ApiBearerAuth()
@Controller()
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('callers')
  @Roles('intake')
  @ApiOperation({ summary: 'Look a caller up by any spelling of their number, with their last supporter (audited)' })
  @ApiOkResponse({ type: CallerLookupResponse })
  @ApiProblems(400, 401, 403)
  lookup(@Query() q: CallerLookupQuery): Promise<CallerLookupResponse> {
    return this.privacy.lookup(q.phone);
  }

  @Get('callers/:id')
  @Roles('intake')
  @ApiOperation({ summary: 'The caller with their intakes, bookings and the supporters they have seen (audited)' })
  @ApiOkResponse({ type: CallerRecordView })
  @ApiProblems(400, 401, 403, 404)
  record(@Param('id', UuidPipe) id: string): Promise<CallerRecordView> {
    return this.privacy.record(id);
  }

  @Get('callers/:id/export')
  @Roles('admin')
  @ApiOperation({ summary: 'Subject access request: everything held about the caller (admin, audited)' })
  @ApiOkResponse({
    description:
      'exportedAt, caller, intakes, bookings (with their history), messages (with their words), escalations and auditEvents',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiProblems(400, 401, 403, 404)
  export(@Param('id', UuidPipe) id: string) {
    return this.privacy.export(id);
  }

  @Post('callers/:id/erase')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Erase the caller’s personal data everywhere; bookings stay as anonymous history (admin)' })
  @ApiOkResponse({ type: ErasureView })
  @ApiProblems(400, 401, 403, 404)
  erase(@Param('id', UuidPipe) id: string): Promise<ErasureView> {
    return this.privacy.erase(id, 'request');
  }

  @Post('intakes/:id/escalations')
  @Roles('intake', 'supporter')
  @ApiOperation({
    summary: 'Record a break of confidentiality (intake, admin, or a supporter of one of the intake’s sessions)',
  })
  @ApiCreatedResponse({ type: EscalationView })
  @ApiProblems(400, 401, 403, 404)
  escalate(
    @Param('id', UuidPipe) id: string,
    @Body() dto: CreateEscalationDto,
    @CurrentUser() user: AuthUser,
  ): Promise<EscalationView> {
    return this.privacy.escalate(id, dto, user);
  }

  @Get('escalations')
  @Roles('admin')
  @ApiOperation({ summary: 'Escalations (admin only)' })
  @ApiOkResponse({ type: EscalationList })
  @ApiProblems(401, 403)
  escalations(): Promise<EscalationList> {
    return this.privacy.escalations();
  }
}
