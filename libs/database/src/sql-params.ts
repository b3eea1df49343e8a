/**
 * The parameters of one hand-written statement that several repositories
 * contribute to (a data-modifying CTE each, so that one use case's writes
 * cost one round trip). `add` keeps a value and returns its placeholder.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}
