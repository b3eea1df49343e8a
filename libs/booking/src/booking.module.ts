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
import { BookingContexts } from './booking-context';
import { BookingsService } from './bookings.service';
import { ChangeBookingService } from './change-booking.service';
import { CreateBookingService } from './create-booking.service';
import { Idempotency } from './idempotency';
import { IdempotencyRepository } from './idempotency.repository';
import { ManageLinkService } from './manage-link.service';
import { IntakeEndingController } from './intake-ending.controller';
import { ManageController } from './manage.controller';
import { SlotsController } from './slots.controller';
import { SlotsService } from './slots.service';
import { UndoBookingService } from './undo-booking.service';
import { ReassignBookingService } from './reassign-booking.service';
import { TimeOffController } from './time-off.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([Booking, BookingEvent]),
    SupportersModule,
    PoliciesModule,
    IntakeModule,
    NotificationsModule,
    FeedbackModule,
  ],
  controllers: [SlotsController, BookingsController, ManageController, IntakeEndingController, TimeOffController],
  providers: [
    BookingsRepository,
    IdempotencyRepository,
    Idempotency,
    SlotsService,
    BookingContexts,
    BookingsService,
    CreateBookingService,
    ChangeBookingService,
    ManageLinkService,
    UndoBookingService,
    ReassignBookingService,
  ],
  exports: [SlotsService, BookingsService],
})
export class BookingModule {}
