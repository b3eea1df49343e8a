// One file on purpose: every environment variable, its validation and its default in one place, read once at boot
// (house rule 6), so a newcomer looking for a setting finds all of them here.
import { resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBase64,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MinLength,
  Min,
  validateSync,
} from 'class-validator';

/** Thrown at boot; its message is one readable line naming the variable. */
export class ConfigError extends Error {}

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : typeof value === 'string' && /^\d+$/.test(value)
      ? Number(value)
      : value;
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value;
  const v = value.toLowerCase();
  return ['true', '1', 'yes', 'on'].includes(v) ? true : ['false', '0', 'no', 'off'].includes(v) ? false : value;
};
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const DURATION_RE = /^(\d{1,6})(ms|s|m|h|d)$/;

/** The environment as the contract lists it. Validated once, at boot. */
class EnvVars {
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(65535)
  PORT?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'must be an e-mail address' })
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must look like smtp://host:port' })
  SMTP_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MAIL_FROM?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  NOTIFY_API_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsBase64({}, { message: 'must be 32 random bytes in base64 (openssl rand -base64 32)' })
  CALENDAR_ENCRYPTION_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*[a-z0-9.:[\]-]+(\s*,\s*[a-z0-9.:[\]-]+)*\s*$/i, {
    message: 'must be a comma-separated list of host names or addresses',
  })
  CALENDAR_ALLOWED_HOSTS?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of minutes' })
  @Min(1)
  @Max(1440)
  CALENDAR_SYNC_MINUTES?: number;

  @Transform(toBool)
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  DEMO_SEED?: boolean;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  PUBLIC_URL?: string;

  @Transform(toBool)
  @IsOptional()
  @IsBoolean({ message: 'must be on or off' })
  WORKER?: boolean;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  VIDEO_ROOM_BASE_URL?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100)
  RETENTION_YEARS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(365)
  INTAKE_REOPEN_DAYS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(500)
  DB_POOL_MAX?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(3_600_000)
  DB_LOCK_TIMEOUT_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(600_000)
  DB_POOL_TIMEOUT_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(86_400_000)
  DB_BACKGROUND_STATEMENT_TIMEOUT_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(86_400_000)
  DB_BACKGROUND_LOCK_TIMEOUT_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0)
  @Max(600)
  SHUTDOWN_GRACE_SECONDS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(DURATION_RE, { message: 'must be a duration like 48h, 30m, 2d or 90s' })
  OUTBOX_GIVE_UP_AFTER?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0)
  @Max(3600)
  CONFIRMATION_GRACE_SECONDS?: number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "48h" → milliseconds (the format OUTBOX_GIVE_UP_AFTER takes). */
export function parseDuration(value: string): number {
  const m = DURATION_RE.exec(value);
  if (!m) throw new ConfigError(`not a duration: ${value}`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** How long PostgreSQL may make a statement wait: every connection of the process gets these. */
export interface DbTimeouts {
  /** statement_timeout: no statement runs longer (57014). */
  statementTimeoutMs: number;
  /** lock_timeout: no statement waits longer for a lock (55P03). */
  lockTimeoutMs: number;
  /** How long a request waits for a free connection of the pool (then 503). */
  poolTimeoutMs: number;
}

/**
 * An https URL a person may be sent to join a call: https only (a link in an e-mail must not be readable on the way),
 * a host, no user name or password in it, no spaces. The same rule for VIDEO_ROOM_BASE_URL and a supporter's meetingUrl.
 */
export function isHttpsUrl(value: string): boolean {
  if (/\s/.test(value) || value.length > 500) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/**
 * A video session's join link: the supporter's own meeting link when set, else a room under VIDEO_ROOM_BASE_URL named
 * by the booking's stored room (so it stays the same across reschedules, and changes only if the base does); null
 * when neither exists (then video is not offered at all).
 */
export function videoJoinUrl(
  meetingUrl: string | null | undefined,
  base: string | undefined,
  room: string | null | undefined,
): string | null {
  if (meetingUrl) return meetingUrl;
  return base && room ? `${base}/${room}` : null;
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1
    );
  } catch {
    return false;
  }
}

export interface AppConfig {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  bootstrapAdmin?: { email: string; password: string };
  smtpUrl?: string;
  mailFrom: string;
  notifyApiKey?: string;
  notifyTemplates: Record<string, string>;
  /** CalDAV sync and feeds (libs/calendars). */
  calendar: CalendarConfig;
  demoSeed: boolean;
  jwtSecret?: string;
  publicUrl: string;
  /** Jitsi-style base of video rooms (`<base>/<room>`), or unset: then only supporters with their own meetingUrl offer video. */
  videoRoomBaseUrl?: string;
  worker: boolean;
  retentionYears: number;
  /** How long after it was closed or withdrawn an intake may be reopened (0: never). */
  intakeReopenDays: number;
  logLevel: string;
  /** Connections each process keeps to PostgreSQL at most. */
  dbPoolMax: number;
  /** For API requests (short: a request should answer or fail within seconds). */
  dbTimeouts: DbTimeouts;
  /** For the worker process (outbox, retention): longer statements are fine there. */
  dbBackgroundTimeouts: DbTimeouts;
  /** SIGTERM: how long in-flight requests get to finish. */
  shutdownGraceSeconds: number;
  /** A message that keeps failing temporarily is `failed` this long after it was written (or resent). */
  outboxGiveUpAfterMs: number;
  /** A new booking's confirmations wait this long in the outbox, so its creator can undo it silently. */
  confirmationGraceSeconds: number;
}

export interface CalendarConfig {
  /** AES-256-GCM key for stored CalDAV credentials; without it CalDAV answers `not_configured`. */
  encryptionKey?: Buffer;
  /** Host names (lower case) a CalDAV URL may use even when they resolve to loopback or private addresses. */
  allowedHosts: string[];
  /** How often the worker reads every connected calendar. */
  syncIntervalMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvVars, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { whitelist: false, skipMissingProperties: false });
  if (errors.length) {
    const e = errors[0];
    // Say what kind of value is wanted before any range: "PORT must be a whole number", not "… not greater than".
    const constraints = e.constraints ?? {};
    const first = ['isInt', 'isBoolean', 'isString', 'isEmail', 'isIn', 'matches'].find((k) => constraints[k]);
    const message = (first ? constraints[first] : Object.values(constraints)[0]) ?? 'is not valid';
    const shown =
      e.property.includes('PASSWORD') ||
      e.property.includes('SECRET') ||
      e.property.includes('KEY') ||
      e.property === 'DATABASE_URL'
        ? ''
        : ` (got "${String(env[e.property]).slice(0, 60)}")`;
    throw new ConfigError(
      `Invalid configuration: ${e.property} ${message.replace(new RegExp(`^${e.property} `), '')}${shown}`,
    );
  }
  if (vars.DATABASE_URL && !isPostgresUrl(vars.DATABASE_URL)) {
    throw new ConfigError(
      'Invalid configuration: DATABASE_URL must be a PostgreSQL URL like postgres://user:password@host:5432/database',
    );
  }
  if (!!vars.BOOTSTRAP_ADMIN_EMAIL !== !!vars.BOOTSTRAP_ADMIN_PASSWORD) {
    throw new ConfigError(
      'Invalid configuration: BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together',
    );
  }
  if (vars.OUTBOX_GIVE_UP_AFTER && parseDuration(vars.OUTBOX_GIVE_UP_AFTER) < 1000) {
    throw new ConfigError(
      `Invalid configuration: OUTBOX_GIVE_UP_AFTER must be at least 1s (got "${vars.OUTBOX_GIVE_UP_AFTER}")`,
    );
  }
  const calendarKey = vars.CALENDAR_ENCRYPTION_KEY ? Buffer.from(vars.CALENDAR_ENCRYPTION_KEY, 'base64') : undefined;
  if (calendarKey && calendarKey.length !== 32) {
    throw new ConfigError(
      `Invalid configuration: CALENDAR_ENCRYPTION_KEY must be 32 random bytes in base64 (openssl rand -base64 32), got ${calendarKey.length} bytes`,
    );
  }
  if (vars.VIDEO_ROOM_BASE_URL && (!isHttpsUrl(vars.VIDEO_ROOM_BASE_URL) || /[?#]/.test(vars.VIDEO_ROOM_BASE_URL))) {
    throw new ConfigError(
      'Invalid configuration: VIDEO_ROOM_BASE_URL must be an https URL without a query or fragment (a Jitsi-style base, e.g. https://meet.example.org/support)',
    );
  }
  const port = vars.PORT ?? 3000;
  const notifyTemplates: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('NOTIFY_TEMPLATE_') && v) notifyTemplates[k.slice('NOTIFY_TEMPLATE_'.length).toLowerCase()] = v;
  }
  return {
    port,
    databaseUrl: vars.DATABASE_URL,
    dataDir: resolve(vars.DATA_DIR ?? './.data'),
    bootstrapAdmin: vars.BOOTSTRAP_ADMIN_EMAIL
      ? { email: vars.BOOTSTRAP_ADMIN_EMAIL, password: vars.BOOTSTRAP_ADMIN_PASSWORD! }
      : undefined,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM ?? 'Peer Support <no-reply@localhost>',
    notifyApiKey: vars.NOTIFY_API_KEY,
    notifyTemplates,
    calendar: {
      encryptionKey: calendarKey,
      allowedHosts: (vars.CALENDAR_ALLOWED_HOSTS ?? '')
        .split(',')
        .map((h) =>
          h
            .trim()
            .toLowerCase()
            .replace(/^\[(.*)\]$/, '$1'),
        )
        .filter(Boolean),
      syncIntervalMs: (vars.CALENDAR_SYNC_MINUTES ?? 5) * 60_000,
    },
    demoSeed: vars.DEMO_SEED ?? !vars.DATABASE_URL,
    jwtSecret: vars.JWT_SECRET,
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    videoRoomBaseUrl: vars.VIDEO_ROOM_BASE_URL?.replace(/\/+$/, ''),
    worker: vars.WORKER ?? true,
    retentionYears: vars.RETENTION_YEARS ?? 20,
    intakeReopenDays: vars.INTAKE_REOPEN_DAYS ?? 14,
    logLevel: vars.LOG_LEVEL ?? 'info',
    dbPoolMax: vars.DB_POOL_MAX ?? 20,
    dbTimeouts: {
      statementTimeoutMs: vars.DB_STATEMENT_TIMEOUT_MS ?? 5000,
      lockTimeoutMs: vars.DB_LOCK_TIMEOUT_MS ?? 3000,
      poolTimeoutMs: vars.DB_POOL_TIMEOUT_MS ?? 5000,
    },
    dbBackgroundTimeouts: {
      statementTimeoutMs: vars.DB_BACKGROUND_STATEMENT_TIMEOUT_MS ?? 60_000,
      lockTimeoutMs: vars.DB_BACKGROUND_LOCK_TIMEOUT_MS ?? 10_000,
      poolTimeoutMs: vars.DB_POOL_TIMEOUT_MS ?? 5000,
    },
    shutdownGraceSeconds: vars.SHUTDOWN_GRACE_SECONDS ?? 10,
    outboxGiveUpAfterMs: parseDuration(vars.OUTBOX_GIVE_UP_AFTER ?? '48h'),
    confirmationGraceSeconds: vars.CONFIRMATION_GRACE_SECONDS ?? 60,
  };
}

/** For process entry points: a bad environment ends the process with one readable line. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

/** Injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
