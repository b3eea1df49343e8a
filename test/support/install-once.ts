/**
 * Runs a set-up step (an apt-get install, a build) once across parallel jest
 * workers: a lock file under dist/, the others wait for it. Shared by the
 * browser tests (Chromium) and the CalDAV tests (Radicale).
 */
import { execSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `fn` unless `done()`; one worker at a time, the others wait and re-check `done()`. */
export function once(name: string, done: () => boolean, fn: () => void): void {
  if (done()) return;
  const lock = join(ROOT, 'dist', `.${name}.lock`);
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let i = 0; i < 1200; i++) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      // someone else holds it; a lock older than 10 minutes is stale
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { force: true });
      } catch {
        /* gone already */
      }
      sleep(500);
      if (done()) return;
      continue;
    }
    try {
      if (!done()) fn();
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
    return;
  }
  throw new Error(`timed out waiting for ${name}`);
}

/** Installs a Debian package with apt-get (needs root) unless `present()` already holds. */
export function aptInstallOnce(pkg: string, present: () => boolean): void {
  once(`${pkg}-install`, present, () => {
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      throw new Error(
        `The tests need Debian's ${pkg}. Install it as root: apt-get update && apt-get install -y ${pkg}`,
      );
    }
    execSync(`apt-get update && apt-get install -y --no-install-recommends ${pkg}`, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  });
  if (!present()) throw new Error(`${pkg} is still missing after apt-get install`);
}
