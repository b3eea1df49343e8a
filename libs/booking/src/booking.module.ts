import { Module } from '@nestjs/common';
import { PoliciesModule } from '@app/policies';
import { SupportersModule } from '@app/supporters';
import { SlotsController } from './slots.controller';
import { SlotsService } from './slots.service';

@Module({
  imports: [SupportersModule, PoliciesModule],
  controllers: [SlotsController],
  providers: [SlotsService],
  exports: [SlotsService],
})
export class BookingModule {}
