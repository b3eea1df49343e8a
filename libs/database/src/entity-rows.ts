import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Hand-written SQL that still reads whole entities: the select list of an
 * entity's columns under an alias, and the hydration of a row read with it.
 * For the few hot paths where one statement reads several tables (TypeORM's
 * query builder would need one statement each, and costs more CPU to build).
 * Column names come from the entity metadata, so they never drift from it.
 */
const selectLists = new WeakMap<DataSource, Map<string, string>>();

function key(ds: DataSource, target: EntityTarget<ObjectLiteral>, alias: string): string {
  return `${ds.getMetadata(target).tableName}:${alias}`;
}

/** `a.col AS "a.col", …` for every column of the entity. */
export function entityColumns(ds: DataSource, target: EntityTarget<ObjectLiteral>, alias: string): string {
  let lists = selectLists.get(ds);
  if (!lists) selectLists.set(ds, (lists = new Map()));
  const k = key(ds, target, alias);
  let list = lists.get(k);
  if (!list) {
    list = ds.getMetadata(target).columns.map((c) => `${alias}.${c.databaseName} AS "${alias}.${c.databaseName}"`).join(', ');
    lists.set(k, list);
  }
  return list;
}

/** The entity held by the `alias.`-prefixed columns of a row selected with entityColumns. */
export function hydrateEntity<T extends ObjectLiteral>(ds: DataSource, target: EntityTarget<T>, alias: string, row: Record<string, unknown>): T {
  const metadata = ds.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    column.setEntityValue(entity, ds.driver.prepareHydratedValue(row[`${alias}.${column.databaseName}`], column));
  }
  return entity;
}
