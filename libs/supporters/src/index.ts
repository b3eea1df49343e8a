export * from './dto/availability.dto';
export * from './dto/supporter.dto';
export * from './supporter.entity';
export * from './supporters.module';
export * from './supporters.service';
export type { SupporterProfile } from './supporters.repository';
