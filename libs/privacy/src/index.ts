export * from './dto/privacy.dto';
export * from './escalation.entity';
export * from './privacy.module';
export * from './privacy.service';
export * from './retention.scheduler';
export * from './dto/search.dto';
export * from './search.service';
