export * from './dto/policies.dto';
export * from './policies.module';
export * from './policies.service';
