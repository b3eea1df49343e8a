import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FeedbackModule } from '@app/feedback';
import { IntakeModule } from '@app/intake';
import { NotificationsModule } from '@app/notifications';
import { PoliciesModule } from '@app/policies';
import { SupportersModule } from '@app/supporters';
import { Booking, BookingEvent } from './booking.entity';
import { BookingsController } from './bookings.controller';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { IntakeEndingController } from './intake-ending.controller';
import { ManageController } from './manage.controller';
import { SlotsController } from './slots.controller';
import { SlotsService } from './slots.service';

@Module({
  imports: [TypeOrmModule.forFeature([Booking, BookingEvent]), SupportersModule, PoliciesModule, IntakeModule, NotificationsModule, FeedbackModule],
  controllers: [SlotsController, BookingsController, ManageController, IntakeEndingController],
  providers: [BookingsRepository, SlotsService, BookingsService],
  exports: [SlotsService, BookingsService],
})
export class BookingModule {}
