import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BookingModule } from '@app/booking';
import { IntakeModule } from '@app/intake';
import { NotificationsModule } from '@app/notifications';
import { Escalation } from './escalation.entity';
import { EscalationsRepository } from './escalations.repository';
import { PrivacyController } from './privacy.controller';
import { PrivacyService } from './privacy.service';
import { RetentionScheduler } from './retention.scheduler';

@Module({
  imports: [TypeOrmModule.forFeature([Escalation]), IntakeModule, BookingModule, NotificationsModule],
  controllers: [PrivacyController],
  providers: [EscalationsRepository, PrivacyService, RetentionScheduler],
  exports: [PrivacyService, RetentionScheduler],
})
export class PrivacyModule {}
