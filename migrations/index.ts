/** Every migration, in order. Listed explicitly so the same classes run at boot, in the CLI and in tests. */
import { Foundation1764140000000 } from './1764140000000-Foundation';
import { CallersIntakesBookings1764140100000 } from './1764140100000-CallersIntakesBookings';

export const MIGRATIONS = [Foundation1764140000000, CallersIntakesBookings1764140100000];
