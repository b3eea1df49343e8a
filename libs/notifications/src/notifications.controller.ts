import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/auth';
import { UuidPipe } from '@app/common';
import { NotificationsService, NotificationView } from './notifications.service';

/** One message to the caller and how its delivery went (as in the booking's and intake's notification lists). */
export class NotificationResendView implements NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['email', 'sms'] }) channel: NotificationView['channel'];
  @ApiProperty({ enum: ['confirmation', 'reschedule', 'cancellation', 'reminder', 'acknowledgement', 'feedback'] }) kind: NotificationView['kind'];
  @ApiProperty({ enum: ['pending', 'sent', 'failed', 'expired'], example: 'pending' }) status: NotificationView['status'];
  @ApiProperty({ description: 'every try, the successful one included' }) attempts: number;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ example: '2027-03-20T10:00:03.000Z' }) dueAt: string;
  @ApiProperty({ nullable: true, type: String, example: 'smtp_550', description: 'why the last attempt failed: a short reason, never an address or a number' })
  lastError: string | null;
}

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
    description: 'The message becomes pending and due now, and is retried afresh for OUTBOX_GIVE_UP_AFTER. Its words, links and Message-ID are the ones first written.',
  })
  @ApiOkResponse({ type: NotificationResendView })
  @ApiNotFoundResponse({ description: 'not_found: no such message' })
  @ApiConflictResponse({ description: 'invalid_transition: the message is pending, sent or cancelled, or was erased with its caller' })
  resend(@Param('id', UuidPipe) id: string): Promise<NotificationView> {
    return this.notifications.resend(id);
  }
}
