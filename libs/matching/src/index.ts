export * from './match.types';
export * from './match';
export * from './matching.module';
export * from './matching.service';
export * from './dto/matches.dto';
