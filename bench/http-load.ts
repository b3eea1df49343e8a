/*
 * The HTTP load generator of bench:booking: a minimal keep-alive HTTP/1.1
 * client, and the worker-thread entry that runs a whole load through it.
 * Its own file, importing nothing but node's modules, so that the worker
 * thread starts in milliseconds (it used to load the whole API with the
 * bench file: about 0.15 ms of CPU per request of a 4,000-request run).
 */
import { readFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export type Post = (body: object | null) => Promise<{ status: number; code?: string }>;

/**
 * POSTs JSON (or GETs, for a null body) over `sockets` keep-alive connections,
 * speaking just enough HTTP/1.1 itself (request line, headers, a
 * Content-Length body): the load would come from other machines, so its own
 * CPU should weigh as little as it can on this one. node:http's client cost
 * about 0.35 ms per request here, as much as the pg Pool of (d) spends on a
 * whole booking; this costs a fraction of that.
 */
export function httpClient(
  url: string,
  headers: Record<string, string>,
  sockets: number,
): { post: Post; close: () => void } {
  const target = new URL(url);
  // request line and headers are the same for every request: built once
  const prefix = (method: string) =>
    `${method} ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
  const getHead = `${prefix('GET')}\r\n`;
  const postPrefix = prefix('POST');
  type Result = { status: number; code?: string };

  /** One keep-alive connection: one request at a time. */
  class Connection {
    readonly socket: Socket;
    private buffer: Buffer = Buffer.alloc(0);
    private pending: { resolve: (r: Result) => void; reject: (e: Error) => void } | null = null;

    constructor() {
      this.socket = connect(Number(target.port), target.hostname);
      this.socket.setNoDelay(true);
      this.socket.on('data', (chunk: Buffer) => this.read(chunk));
      this.socket.on('error', (err) => {
        all.delete(this);
        this.pending?.reject(err);
      });
    }

    send(data: string): Promise<Result> {
      return new Promise((resolve, reject) => {
        this.pending = { resolve, reject };
        this.socket.write(data);
      });
    }

    private read(chunk: Buffer): void {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      const end = this.buffer.indexOf('\r\n\r\n');
      const pending = this.pending;
      if (end < 0 || !pending) return;
      const headText = this.buffer.subarray(0, end).toString('latin1');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(headText);
      if (!length) return pending.reject(new Error(`response without Content-Length: ${headText.split('\r\n')[0]}`));
      const total = end + 4 + Number(length[1]);
      if (this.buffer.length < total) return;
      const status = Number(headText.slice(9, 12));
      let code: string | undefined;
      if (status >= 300) {
        try {
          code = (JSON.parse(this.buffer.subarray(end + 4, total).toString('utf8')) as { code?: string }).code;
        } catch {
          code = undefined;
        }
      }
      this.buffer = this.buffer.subarray(total);
      this.pending = null;
      idle.push(this);
      waiting.shift()?.();
      pending.resolve({ status, code });
    }
  }

  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<Connection> => {
    for (;;) {
      const free = idle.pop();
      if (free) return free;
      if (all.size < sockets) {
        const c = new Connection();
        all.add(c);
        return c;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  const post: Post = async (body) => {
    const connection = await acquire();
    if (body === null) return connection.send(getHead);
    const payload = JSON.stringify(body);
    return connection.send(`${postPrefix}Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`);
  };
  return { post, close: () => all.forEach((c) => c.socket.destroy()) };
}

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  clients: number;
  /** null: a GET */
  bodies: (object | null)[];
}

/** Runs `jobs` through `clients` concurrent workers. */
export async function runPool<T>(jobs: T[], clients: number, work: (job: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        await work(job);
      }
    }),
  );
}

export function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** CPU seconds of the calling thread, or null off Linux. */
export function threadCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** What the worker thread answers: counts by outcome, each request's latency (ms, in order), and the CPU seconds it spent itself (null off Linux). */
export interface LoadResult {
  counts: [string, number][];
  latencies: number[];
  cpu: number | null;
}

/** The worker thread: posts every body through `clients` concurrent clients, answers with counts by outcome. */
async function runLoad(job: LoadJob): Promise<void> {
  const before = threadCpuSeconds();
  const { post, close } = httpClient(job.url, job.headers, job.clients);
  const counts = new Map<string, number>();
  const latencies: number[] = [];
  await runPool(job.bodies, job.clients, async (body) => {
    const t = performance.now();
    const r = await post(body);
    latencies.push(performance.now() - t);
    bump(counts, r.status < 300 ? String(r.status) : `${r.status} ${r.code ?? ''}`.trim());
  });
  close();
  const after = threadCpuSeconds();
  const result: LoadResult = {
    counts: [...counts.entries()],
    latencies,
    cpu: before === null || after === null ? null : after - before,
  };
  parentPort!.postMessage(result);
}

/** Runs one load from a worker thread, as it would come from other machines (the API's event loop is its own). */
export function loadFromWorker(job: LoadJob): Promise<LoadResult> {
  return new Promise<LoadResult>((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'http-load.js'), { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load worker exited with ${code}`))));
  });
}

if (!isMainThread) {
  runLoad(workerData as LoadJob).catch((err) => {
    process.stderr.write(`load worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
