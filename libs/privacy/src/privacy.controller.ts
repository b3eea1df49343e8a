import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { UuidPipe } from '@app/common';
import { CallerLookupQuery, CallerLookupResponse, CreateEscalationDto, EscalationList, EscalationView } from './dto/privacy.dto';
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
  lookup(@Query() q: CallerLookupQuery): Promise<CallerLookupResponse> {
    return this.privacy.lookup(q.phone);
  }

  @Get('callers/:id')
  @Roles('intake')
  @ApiOperation({ summary: 'The caller with their intakes, bookings and the supporters they have seen (audited)' })
  record(@Param('id', UuidPipe) id: string) {
    return this.privacy.record(id);
  }

  @Get('callers/:id/export')
  @Roles('admin')
  @ApiOperation({ summary: 'Subject access request: everything held about the caller (admin, audited)' })
  export(@Param('id', UuidPipe) id: string) {
    return this.privacy.export(id);
  }

  @Post('callers/:id/erase')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Erase the caller’s personal data everywhere; bookings stay as anonymous history (admin)' })
  erase(@Param('id', UuidPipe) id: string) {
    return this.privacy.erase(id, 'request');
  }

  @Post('intakes/:id/escalations')
  @Roles('intake', 'supporter')
  @ApiOperation({ summary: 'Record a break of confidentiality (intake, admin, or a supporter of one of the intake’s sessions)' })
  @ApiCreatedResponse({ type: EscalationView })
  escalate(@Param('id', UuidPipe) id: string, @Body() dto: CreateEscalationDto, @CurrentUser() user: AuthUser): Promise<EscalationView> {
    return this.privacy.escalate(id, dto, user);
  }

  @Get('escalations')
  @Roles('admin')
  @ApiOperation({ summary: 'Escalations (admin only)' })
  @ApiOkResponse({ type: EscalationList })
  escalations(): Promise<EscalationList> {
    return this.privacy.escalations();
  }
}
