import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { IntakeModule } from '@app/intake';
import { PoliciesModule } from '@app/policies';
import { SupportersModule } from '@app/supporters';
import { MatchingController } from './matching.controller';
import { MatchingService } from './matching.service';

@Module({
  imports: [IntakeModule, SupportersModule, BookingModule, PoliciesModule],
  controllers: [MatchingController],
  providers: [MatchingService],
  exports: [MatchingService],
})
export class MatchingModule {}
