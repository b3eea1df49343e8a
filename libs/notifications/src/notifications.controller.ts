import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/auth';
import { ApiProblems, UuidPipe } from '@app/common';
import { NotificationStatusView } from './dto/notification-view.dto';
import { NotificationsService, NotificationView } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Roles('admin')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post(':id/resend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a failed or expired message again (admin; audited)',
    description:
      'The message becomes pending and due now, and is retried afresh for OUTBOX_GIVE_UP_AFTER. Its words, links and Message-ID are the ones first written.',
  })
  @ApiOkResponse({ type: NotificationStatusView })
  @ApiProblems(400, 401, 403, {
    404: { codes: ['not_found'], when: 'no such message' },
    409: {
      codes: ['invalid_transition'],
      when: 'the message is pending, sent or cancelled, or was erased with its caller',
    },
  })
  resend(@Param('id', UuidPipe) id: string): Promise<NotificationView> {
    return this.notifications.resend(id);
  }
}
