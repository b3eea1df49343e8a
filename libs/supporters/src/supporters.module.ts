import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PoliciesModule } from '@app/policies';
import { AvailabilityRule } from './availability-rule.entity';
import { Supporter } from './supporter.entity';
import { SupportersController } from './supporters.controller';
import { SupportersRepository } from './supporters.repository';
import { SupportersService } from './supporters.service';
import { TimeOff } from './time-off.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Supporter, AvailabilityRule, TimeOff]), PoliciesModule],
  controllers: [SupportersController],
  providers: [SupportersRepository, SupportersService],
  exports: [SupportersService],
})
export class SupportersModule {}
