import { Client, Query, QueryResult } from 'pg';
// pg exports its lib/ files; this is the value mapper its own queries bind with.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): Buffer | string | null };

/** What node-postgres' Connection offers a Submittable (the protocol messages it writes). */
interface Connection {
  stream: { cork?(): void; uncork?(): void };
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  parse(msg: { text: string; name?: string }): void;
  bind(msg: { portal?: string; statement?: string; values?: unknown[] }): void;
  describe(msg: { type: 'P'; name: string }): void;
  execute(msg: { portal?: string; rows?: number }): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

interface Statement {
  text: string;
  name?: string;
  values: (Buffer | string | null)[];
  /** The one statement whose result is answered; the others (BEGIN, COMMIT) return no rows. */
  main: boolean;
}

type QueryConfig = string | { text: string; name?: string; values?: unknown[] };

/**
 * Several statements written at once and closed by a single Sync: PostgreSQL
 * answers them in one round trip. Used for a transaction's BEGIN with its first
 * statement, and a last statement with COMMIT. Statements after a failing one
 * are skipped by PostgreSQL up to the Sync (a transaction left open is then
 * rolled back by inTransaction). The result is the main statement's, as
 * node-postgres' own Query would give it (the Query does the row parsing).
 */
class PipelinedQuery {
  private readonly result: Query;
  private index = 0;
  /** Named statements this pipeline parses: forgotten again if it fails before they are. */
  private parsing: string[] = [];

  constructor(
    private readonly statements: Statement[],
    done: (err: Error | null, result?: QueryResult) => void,
  ) {
    // The Query only gathers the main statement's result (its text as config: node-postgres copies a config object).
    this.result = new Query(statements.find((s) => s.main)!.text, undefined, done as never);
  }

  /** The client gives its type parsers to this (as to any query's result). */
  get _result(): unknown {
    return (this.result as unknown as { _result: unknown })._result;
  }

  /** Read by the client on ParseComplete and on an error: the statement being answered now. */
  get name(): string | undefined {
    return this.statements[this.index]?.name;
  }

  get text(): string | undefined {
    return this.statements[this.index]?.text;
  }

  submit(connection: Connection): Error | null {
    for (const s of this.statements) {
      const previous = s.name ? connection.parsedStatements[s.name] ?? connection.submittedNamedStatements[s.name] : undefined;
      if (previous !== undefined && previous !== s.text) return new Error(`Prepared statements must be unique - '${s.name}' was used for a different statement`);
    }
    connection.stream.cork?.();
    try {
      for (const s of this.statements) {
        const name = s.name ?? '';
        if (!s.name || (connection.parsedStatements[name] === undefined && connection.submittedNamedStatements[name] === undefined)) {
          connection.parse({ text: s.text, name });
          if (s.name) {
            connection.submittedNamedStatements[name] = s.text;
            this.parsing.push(name);
          }
        }
        connection.bind({ portal: '', statement: name, values: s.values });
        if (s.main) connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '', rows: 0 });
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(msg: unknown): void {
    if (this.statements[this.index]?.main) internals(this.result).handleRowDescription(msg);
  }

  handleDataRow(msg: unknown): void {
    if (this.statements[this.index]?.main) internals(this.result).handleDataRow(msg);
  }

  handleCommandComplete(msg: unknown, connection: Connection): void {
    if (this.statements[this.index]?.main) internals(this.result).handleCommandComplete(msg, connection);
    this.index++;
  }

  handleEmptyQuery(): void {
    this.index++;
  }

  handleError(err: Error, connection: Connection): void {
    // Statements after the failing one were skipped, their Parse too.
    for (const name of this.parsing) {
      if (connection.parsedStatements[name] === undefined) delete connection.submittedNamedStatements[name];
    }
    internals(this.result).handleError(err, connection);
  }

  handleReadyForQuery(connection: Connection): void {
    internals(this.result).handleReadyForQuery(connection);
  }

  handlePortalSuspended(): void {
    // rows: 0 asks for every row: never suspended
  }

  handleCopyInResponse(connection: Connection): void {
    connection.sendCopyFail('No source stream defined');
  }

  handleCopyData(): void {
    // no COPY here
  }
}

interface PgQueryInternals {
  handleRowDescription(msg: unknown): void;
  handleDataRow(msg: unknown): void;
  handleCommandComplete(msg: unknown, connection: Connection): void;
  handleError(err: Error, connection: Connection): void;
  handleReadyForQuery(connection: Connection): void;
}

function internals(q: Query): PgQueryInternals {
  return q as unknown as PgQueryInternals;
}

const BEGIN: Omit<Statement, 'main'> = { text: 'BEGIN', values: [] };
const COMMIT: Omit<Statement, 'main'> = { text: 'COMMIT', values: [] };

/**
 * The pool's client: a node-postgres Client that can hold back a transaction's
 * BEGIN until its first statement and send the two together, and send a
 * transaction's last statement together with its COMMIT — a transaction of
 * one read and one write is then two round trips instead of four. Outside a
 * transaction begun by inTransaction it is node-postgres' Client, unchanged.
 */
export class PipeliningClient extends Client {
  /**
   * The transaction inTransaction runs on this client: none; begun, BEGIN not
   * sent yet; open; committed with its last statement (nothing more may run).
   */
  private tx: 'none' | 'pending' | 'open' | 'committed' = 'none';

  /** Starts a transaction whose BEGIN travels with its first statement. */
  beginLazily(): void {
    this.tx = 'pending';
  }

  /** Whether BEGIN was sent and the transaction is not over: it needs a COMMIT or a ROLLBACK. */
  get inTransactionBlock(): boolean {
    return this.tx === 'open';
  }

  /** Whether a statement may be sent with COMMIT: in a transaction of inTransaction's that is not over. */
  get canCommitWith(): boolean {
    return this.tx === 'pending' || this.tx === 'open';
  }

  /** After the transaction: back to a plain client. */
  endTransaction(): void {
    this.tx = 'none';
  }

  // Same overloads as Client#query; the pipelined cases are the promise form (how TypeORM and queryPrepared call it).
  query(config: unknown, values?: unknown, callback?: unknown): never {
    if (this.tx === 'committed') {
      return Promise.reject(new Error('This transaction was committed with its last statement; nothing more can run in it.')) as never;
    }
    const plain = (): never => (super.query as (...args: unknown[]) => never)(config, values, callback);
    if (this.tx !== 'pending') return plain();
    // A callback, a custom query object (a cursor), or a text without parameters (it may be several statements,
    // simple protocol): BEGIN is queued before it, on its own (node-postgres runs its queue in order).
    const custom = typeof callback === 'function' || typeof values === 'function' || typeof (config as { submit?: unknown })?.submit === 'function';
    let statement: Statement | null = null;
    if (!custom) {
      try {
        statement = toStatement(config as QueryConfig, values);
      } catch (err) {
        return Promise.reject(err) as never;
      }
    }
    this.tx = 'open';
    if (!statement) {
      // BEGIN cannot fail on a healthy connection; on a broken one the statement behind it fails as well
      (super.query('BEGIN') as Promise<unknown>).catch(() => undefined);
      return plain();
    }
    return this.sendTogether([{ ...BEGIN, main: false }, statement]) as never;
  }

  /**
   * Runs the transaction's last statement and COMMIT in one round trip (with
   * BEGIN too when it is also the first). On success the transaction is over;
   * when the statement fails, the transaction is left open for inTransaction
   * to roll back.
   */
  async commitWith(config: { text: string; name?: string; values?: unknown[] }): Promise<QueryResult> {
    if (!this.canCommitWith) throw new Error('commitWith outside a transaction of inTransaction\'s');
    const statement = toStatement(config, undefined, true)!;
    const first = this.tx === 'pending';
    this.tx = 'open';
    const result = await this.sendTogether([...(first ? [{ ...BEGIN, main: false }] : []), statement, { ...COMMIT, main: false }]);
    this.tx = 'committed';
    return result;
  }

  private sendTogether(statements: Statement[]): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      const q = new PipelinedQuery(statements, (err, res) => (err ? reject(err) : resolve(res!)));
      (super.query as (q: unknown) => unknown)(q);
    });
  }
}

/** The statement of a query call, its values mapped as node-postgres maps them; null for a parameterless text. */
function toStatement(config: QueryConfig, values: unknown, always = false): Statement | null {
  const c = typeof config === 'string' ? { text: config, values: values as unknown[] | undefined } : { ...config, values: config.values ?? (values as unknown[] | undefined) };
  if (!always && !c.name && !c.values?.length) return null;
  return { text: c.text, name: c.name, values: (c.values ?? []).map((v) => prepareValue(v)), main: true };
}
