import { Controller, Get, HttpCode, Ip, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Public } from '@app/common';
import { ManageLinkService } from './manage-link.service';
import { ManagedBookingView } from './dto/manage.dto';

const LINK_GONE = { codes: ['not_found' as const], when: 'unknown, replaced (after a reschedule) or expired link' };
const LIMITED = { codes: ['rate_limited' as const], when: 'more than 30 requests a minute from one address' };

/** The caller's own link from their messages (PUBLIC_URL/manage/<token>): no login, rate-limited per IP. */
@ApiTags('caller self-service')
@Public()
@Controller('manage')
export class ManageController {
  constructor(private readonly links: ManageLinkService) {}

  @Get(':token')
  @ApiOperation({
    summary: 'The booking behind a manage link: reference, time, modality, status, supporter first name',
  })
  @ApiOkResponse({ type: ManagedBookingView })
  @ApiProblems({ 404: LINK_GONE, 429: LIMITED }, 503)
  view(@Param('token') token: string, @Ip() ip: string): Promise<ManagedBookingView> {
    return this.links.view(token, ip);
  }

  @Post(':token/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'The caller cancels: the slot is free again and a cancellation message is sent' })
  @ApiOkResponse({ type: ManagedBookingView })
  @ApiProblems({ 404: LINK_GONE, 409: ['invalid_transition'], 429: LIMITED }, 503)
  cancel(@Param('token') token: string, @Ip() ip: string): Promise<ManagedBookingView> {
    return this.links.cancel(token, ip);
  }
}
