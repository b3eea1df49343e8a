import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@app/common';
import { PoliciesModule } from '@app/policies';
import { createMailTransport, MAIL_TRANSPORT } from './mail.transport';
import { MessageRenderer } from './message-renderer';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxWorker } from './outbox.worker';
import { createSmsTransport, SMS_TRANSPORT } from './sms.transport';

/**
 * The outbox and its delivery. The OutboxWorker starts with the application
 * when config.worker is on (WORKER, default on) and stops with it; the
 * apps/worker process runs it alone.
 */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage]), PoliciesModule],
  controllers: [NotificationsController],
  providers: [
    NotificationsRepository,
    MessageRenderer,
    NotificationsService,
    OutboxWorker,
    { provide: MAIL_TRANSPORT, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createMailTransport(c) },
    { provide: SMS_TRANSPORT, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createSmsTransport(c) },
  ],
  exports: [NotificationsService, OutboxWorker],
})
export class NotificationsModule {}
