import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactController } from './contact.controller';
import { PoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';
import { PolicyRow } from './policy.entity';

@Module({
  imports: [TypeOrmModule.forFeature([PolicyRow])],
  controllers: [PoliciesController, ContactController],
  providers: [PoliciesService],
  exports: [PoliciesService],
})
export class PoliciesModule {}
