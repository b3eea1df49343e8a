export * from './auth-user';
export * from './auth.guard';
export * from './auth.module';
export * from './decorators';
export * from './password';
export * from './user.entity';
export * from './users.service';
export * from './dto/create-user.dto';
