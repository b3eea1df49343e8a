export * from './data-source';
export * from './database-url';
export * from './database.module';
export * from './embedded-postgres';
export * from './entity-rows';
export * from './pg-errors';
export * from './snake-naming.strategy';
export * from './sql-params';
