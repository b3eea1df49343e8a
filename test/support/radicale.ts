/**
 * A real CalDAV server for the calendar tests: Debian's Radicale, installed
 * with apt-get when missing (as Chromium is for the browser tests), started
 * on a free loopback port with its own storage folder and plain htpasswd
 * users, and stopped (folder removed) by `stop()`. Only the test files that
 * need it start one, so no other test pays for it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteObject, getBasicAuthHeaders, makeCalendar, updateObject } from 'tsdav';
import { aptInstallOnce } from './install-once';

export const RADICALE = '/usr/bin/radicale';

export interface RadicaleServer {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  port: number;
  /** user name → password, as written into the htpasswd file. */
  users: Record<string, string>;
  stop(): Promise<void>;
  /** Stops the server but keeps its storage (a calendar server that is down for a while). */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same storage, after halt(). */
  resume(): Promise<void>;
}

export function ensureRadicale(): void {
  aptInstallOnce('radicale', () => existsSync(RADICALE));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function answers(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/.web/`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

export async function startRadicale(
  users: Record<string, string> = { alice: 'alice-app-password' },
): Promise<RadicaleServer> {
  ensureRadicale();
  const dir = mkdtempSync(join(tmpdir(), 'dsl-radicale-'));
  writeFileSync(
    join(dir, 'users'),
    Object.entries(users)
      .map(([u, p]) => `${u}:${p}\n`)
      .join(''),
  );
  // A port taken between freePort() and Radicale's bind makes it exit: try again on another.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    writeFileSync(
      join(dir, 'config'),
      [
        '[server]',
        `hosts = 127.0.0.1:${port}`,
        '[auth]',
        'type = htpasswd',
        `htpasswd_filename = ${join(dir, 'users')}`,
        'htpasswd_encryption = plain',
        'delay = 0',
        '[rights]',
        'type = owner_only',
        '[storage]',
        `filesystem_folder = ${join(dir, 'collections')}`,
        '[web]',
        'type = internal',
        '[logging]',
        'level = warning',
        '',
      ].join('\n'),
    );
    const baseUrl = `http://127.0.0.1:${port}`;
    let stderr = '';
    let exited = false;
    let child: ChildProcess;
    /** Spawns Radicale and waits until it answers; false when it exited (its port was taken). */
    const launch = async (): Promise<boolean> => {
      exited = false;
      const c = spawn(RADICALE, ['--config', join(dir, 'config')], { stdio: ['ignore', 'ignore', 'pipe'] });
      child = c;
      c.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      c.on('exit', () => (exited = true));
      const deadline = Date.now() + 20_000;
      while (!exited && Date.now() < deadline && !(await answers(baseUrl)))
        await new Promise((r) => setTimeout(r, 100));
      if (exited) return false;
      if (Date.now() >= deadline) {
        c.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`Radicale did not answer on ${baseUrl}: ${stderr}`);
      }
      return true;
    };
    /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited, leaving no timer behind. */
    const halt = async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (!exited) {
        child.kill('SIGKILL');
        await gone;
      }
    };
    if (!(await launch())) continue;
    return {
      baseUrl,
      port,
      users,
      halt,
      async resume() {
        if (!(await launch())) throw new Error(`Radicale would not start again on ${baseUrl}: ${stderr}`);
      },
      async stop() {
        await halt();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('Radicale would not start (no free port after 5 tries)');
}

/** Basic auth headers for one of the server's users. */
function auth(server: RadicaleServer, user: string): Record<string, string> {
  return getBasicAuthHeaders({ username: user, password: server.users[user] });
}

/** Creates a calendar collection (MKCALENDAR, through tsdav) and returns its URL, with a trailing slash. */
export async function makeTestCalendar(server: RadicaleServer, user: string, name = 'rota'): Promise<string> {
  const url = `${server.baseUrl}/${user}/${name}/`;
  const [res] = await makeCalendar({ url, props: { displayname: name }, headers: auth(server, user) });
  if (!res?.ok) throw new Error(`MKCALENDAR ${url}: ${res?.status} ${res?.statusText}`);
  return url;
}

/** Puts (creates or replaces) one calendar object `<uid>.ics` holding `ics`. */
export async function putEvent(
  server: RadicaleServer,
  user: string,
  calendarUrl: string,
  uid: string,
  ics: string,
): Promise<void> {
  const res = await updateObject({
    url: `${calendarUrl}${uid}.ics`,
    data: ics,
    etag: '',
    headers: { ...auth(server, user), 'content-type': 'text/calendar; charset=utf-8' },
  });
  if (!res.ok) throw new Error(`PUT ${uid}.ics: ${res.status} ${await res.text()}`);
}

export async function deleteEvent(
  server: RadicaleServer,
  user: string,
  calendarUrl: string,
  uid: string,
): Promise<void> {
  const res = await deleteObject({ url: `${calendarUrl}${uid}.ics`, etag: '', headers: auth(server, user) });
  if (!res.ok) throw new Error(`DELETE ${uid}.ics: ${res.status}`);
}

const icsTime = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** A VCALENDAR with one VEVENT; instants as ISO strings in UTC. */
export function vevent(opts: {
  uid: string;
  start: string;
  end: string;
  summary?: string;
  transparent?: boolean;
  cancelled?: boolean;
  rrule?: string;
}): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//dsl tests//EN',
    'BEGIN:VEVENT',
    `UID:${opts.uid}`,
    `DTSTAMP:${icsTime(new Date().toISOString())}`,
    `DTSTART:${icsTime(opts.start)}`,
    `DTEND:${icsTime(opts.end)}`,
    `SUMMARY:${opts.summary ?? 'On call'}`,
    ...(opts.transparent ? ['TRANSP:TRANSPARENT'] : []),
    ...(opts.cancelled ? ['STATUS:CANCELLED'] : []),
    ...(opts.rrule ? [`RRULE:${opts.rrule}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
