import { Controller, Get, HttpCode, Ip, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Public } from '@app/common';
import { ManageLinkService } from './manage-link.service';
import { ManagedBookingView } from './dto/manage.dto';

/** The caller's own link from their messages (PUBLIC_URL/manage/<token>): no login, rate-limited per IP. */
@ApiTags('caller self-service')
@Public()
@Controller('manage')
export class ManageController {
  constructor(private readonly links: ManageLinkService) {}

  @Get(':token')
  @ApiOperation({ summary: 'The booking behind a manage link: reference, time, modality, status, supporter first name' })
  @ApiOkResponse({ type: ManagedBookingView })
  @ApiNotFoundResponse({ description: 'not_found: unknown, replaced (after a reschedule) or expired link' })
  @ApiTooManyRequestsResponse({ description: 'rate_limited: more than 30 requests a minute from one address' })
  view(@Param('token') token: string, @Ip() ip: string): Promise<ManagedBookingView> {
    return this.links.view(token, ip);
  }

  @Post(':token/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'The caller cancels: the slot is free again and a cancellation message is sent' })
  @ApiOkResponse({ type: ManagedBookingView })
  @ApiNotFoundResponse({ description: 'not_found: unknown, replaced (after a reschedule) or expired link' })
  @ApiTooManyRequestsResponse({ description: 'rate_limited: more than 30 requests a minute from one address' })
  cancel(@Param('token') token: string, @Ip() ip: string): Promise<ManagedBookingView> {
    return this.links.cancel(token, ip);
  }
}
