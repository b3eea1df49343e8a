import { unavailableReason } from './unavailable';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const typeorm = (inner: Error) =>
  Object.assign(new Error(inner.message), { name: 'QueryFailedError', driverError: inner });

describe('unavailableReason', () => {
  it.each([
    ['57P01 admin_shutdown (a restart)', pgError('57P01'), '57P01'],
    ['57P03 cannot_connect_now', pgError('57P03'), '57P03'],
    ['08006 connection_failure', pgError('08006'), '08006'],
    ['08001 unable to connect', pgError('08001'), '08001'],
    ['53300 too_many_connections', pgError('53300'), '53300'],
    ['55P03 lock_timeout', typeorm(pgError('55P03')), '55P03'],
    ['57014 statement_timeout', typeorm(pgError('57014', 'canceling statement due to statement timeout')), '57014'],
    ['ECONNREFUSED', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'ECONNREFUSED'],
    ['the pool wait ran out', new Error('timeout exceeded when trying to connect'), 'pool_timeout'],
    ['a connection cut mid-query', typeorm(new Error('Connection terminated unexpectedly')), 'connection_lost'],
    [
      'a database refusing connections',
      pgError('55000', 'database "x" is not currently accepting connections'),
      'connection_lost',
    ],
  ])('%s → 503', (_what, err, reason) => {
    expect(unavailableReason(err)).toBe(reason);
  });

  it.each([
    ['23505 unique violation', typeorm(pgError('23505'))],
    ['23P01 exclusion', typeorm(pgError('23P01'))],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error', 'boom'],
    ['null', null],
  ])('%s is not', (_what, err) => {
    expect(unavailableReason(err)).toBeNull();
  });
});
