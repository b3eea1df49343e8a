import { IsOptional, registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';
import { DateTime, IANAZone } from 'luxon';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** An ISO 8601 instant WITH an offset or Z ("2027-03-28T18:00:00+01:00"); a bare local time is refused. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseInstant(value: unknown): DateTime | null {
  if (typeof value !== 'string' || !INSTANT.test(value)) return null;
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toUTC() : null;
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: 'isInstant',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be an ISO 8601 date-time with an offset, e.g. 2027-03-28T18:00:00+01:00', ...options },
      validator: { validate: (value: unknown) => parseInstant(value) !== null },
    });
}

export function isTimeZone(value: unknown): value is string {
  return typeof value === 'string' && value.includes('/') && IANAZone.isValidZone(value);
}

/** An IANA time zone name such as Europe/London. */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: 'isTimeZone',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be an IANA time zone such as Europe/London', ...options },
      validator: { validate: (value: unknown) => isTimeZone(value) || value === 'UTC' },
    });
}

/**
 * E.164 form of a phone number written any way (UK by default), or null when
 * the number is not even possible. Ofcom's drama range (07700 900xxx) is
 * "possible" but not "valid" to libphonenumber: we accept possible numbers.
 */
export function normalisePhone(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 40 || /[A-Za-z]/.test(value)) return null;
  const parsed = parsePhoneNumberFromString(value, 'GB');
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}

export function IsPossiblePhone(options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: 'isPossiblePhone',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a phone number, e.g. 07700 900123 or +44 7700 900123', ...options },
      validator: { validate: (value: unknown) => normalisePhone(value) !== null },
    });
}

/**
 * The field may be left out, but not sent as null. class-validator's
 * IsOptional lets null through, and a null then reaches a NOT NULL column
 * (PostgreSQL 23502, a 500) or code that expects a value. Every optional
 * field takes this unless null means something for it (see Nullable).
 */
export function Omittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}

/** The field may be left out or sent as null, and null means "none" (it clears a stored value). */
export function Nullable(options?: ValidationOptions): PropertyDecorator {
  return IsOptional(options);
}
