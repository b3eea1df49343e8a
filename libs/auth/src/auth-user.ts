import type { Role } from './user.entity';

/** Who is calling: taken from the verified bearer token. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  supporterId: string | null;
}
