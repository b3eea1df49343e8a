import { DomainError } from './domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A page cursor names the last row shown; the next page starts after it, compared by the
 * row's own sort key in SQL (so no timestamp precision is lost on the way through JSON).
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UUID.test(id))
    throw DomainError.validation([{ field: 'cursor', message: 'is not a cursor this service gave out' }]);
  return id;
}
