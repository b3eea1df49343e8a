export * from './caller.entity';
export * from './dto/create-intake.dto';
export * from './dto/intake-view.dto';
export * from './intake.entity';
export * from './intake.module';
export * from './intake.service';
export * from './signposting';
export * from './dto/request.dto';
