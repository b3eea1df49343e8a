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
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

@Module({
  imports: [TypeOrmModule.forFeature([Escalation]), IntakeModule, BookingModule, NotificationsModule],
  controllers: [PrivacyController, SearchController],
  providers: [EscalationsRepository, PrivacyService, RetentionScheduler, SearchService],
  exports: [PrivacyService, RetentionScheduler],
})
export class PrivacyModule {}
