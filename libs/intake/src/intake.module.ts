import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Caller } from './caller.entity';
import { IntakeController } from './intake.controller';
import { Intake } from './intake.entity';
import { IntakeService } from './intake.service';
import { IntakesRepository } from './intakes.repository';

@Module({
  imports: [TypeOrmModule.forFeature([Caller, Intake])],
  controllers: [IntakeController],
  providers: [IntakesRepository, IntakeService],
  exports: [IntakeService],
})
export class IntakeModule {}
