import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/** TypeORM's column metadata, by the public type that holds it (its own module is not an entry point). */
type ColumnMetadata = EntityMetadata['columns'][number];

/**
 * Hand-written SQL that still reads whole entities: for the few hot paths
 * where one statement reads several tables (TypeORM's query builder would need
 * one statement each, and costs more CPU to build). The statement selects each
 * table's row as one JSON value (`to_json(alias)`: a column per table instead
 * of one per table column, which node-postgres would describe, parse and copy
 * one by one); this turns it into the entity, each value through TypeORM's own
 * hydration. Timestamps arrive as ISO text with microseconds and become Dates
 * to the millisecond, as node-postgres makes them. Keys are the table's column
 * names, so they never drift from the entity metadata.
 */
export function hydrateEntity<T extends ObjectLiteral>(
  ds: DataSource,
  target: EntityTarget<T>,
  json: Record<string, unknown>,
): T {
  const metadata = ds.getMetadata(target);
  const entity = metadata.create() as T;
  for (const { column, timestamp } of columnsOf(metadata)) {
    let value = json[column.databaseName] ?? null;
    if (timestamp && typeof value === 'string') value = new Date(value);
    column.setEntityValue(entity, ds.driver.prepareHydratedValue(value, column));
  }
  return entity;
}

const TIMESTAMP_TYPES = new Set<unknown>([
  Date,
  'timestamptz',
  'timestamp',
  'timestamp with time zone',
  'timestamp without time zone',
]);
const plans = new WeakMap<EntityMetadata, { column: ColumnMetadata; timestamp: boolean }[]>();

function columnsOf(metadata: EntityMetadata): { column: ColumnMetadata; timestamp: boolean }[] {
  let plan = plans.get(metadata);
  if (!plan) {
    plan = metadata.columns.map((column) => ({ column, timestamp: TIMESTAMP_TYPES.has(column.type) }));
    plans.set(metadata, plan);
  }
  return plan;
}
