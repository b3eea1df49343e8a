import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '@app/notifications';
import { PoliciesModule } from '@app/policies';
import { Caller } from './caller.entity';
import { IntakeController } from './intake.controller';
import { Intake } from './intake.entity';
import { IntakeService } from './intake.service';
import { IntakesRepository } from './intakes.repository';
import { RequestsController } from './requests.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Caller, Intake]), NotificationsModule, PoliciesModule],
  controllers: [IntakeController, RequestsController],
  providers: [IntakesRepository, IntakeService],
  exports: [IntakeService],
})
export class IntakeModule {}
