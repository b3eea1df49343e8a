import type { Logger as Pino } from 'pino';

let unhandled = 0;
let installed = false;

/**
 * A last line that logs and counts: a promise rejected with nobody to catch it
 * is a bug (every background loop catches its own errors), so it is reported
 * loudly, with its kind and code only (a message could hold personal data),
 * and counted for /health/live. It is not what keeps the process alive: the
 * loops are written not to reject in the first place.
 */
export function installProcessGuards(log: Pick<Pino, 'error'>): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    unhandled += 1;
    const e = reason as { name?: unknown; code?: unknown } | null | undefined;
    log.error(
      {
        unhandledRejections: unhandled,
        kind: typeof e?.name === 'string' ? e.name : typeof reason,
        code: typeof e?.code === 'string' ? e.code : undefined,
      },
      'unhandled promise rejection (a bug: a background task did not catch its error)',
    );
  });
}

/** Unhandled rejections since the process started. */
export function unhandledRejectionCount(): number {
  return unhandled;
}
