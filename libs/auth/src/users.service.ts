import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@app/common';
import { isForeignKeyViolation, isUniqueViolation } from '@app/database';
import { CreateUserDto } from './dto/create-user.dto';
import { UserView } from './dto/login.dto';
import type { AuthUser } from './auth-user';
import { hashPassword } from './password';
import { UserAccess } from './user-access';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

export function toUserView(u: User): UserView {
  return { id: u.id, email: u.email, role: u.role, supporterId: u.supporterId, active: !u.deactivatedAt };
}

@Injectable()
export class UsersService {
  private readonly log = new Logger('Users');

  constructor(
    private readonly users: UsersRepository,
    private readonly access: UserAccess,
  ) {}

  async create(dto: CreateUserDto): Promise<UserView> {
    if (dto.role !== 'supporter' && dto.supporterId) {
      throw DomainError.validation([{ field: 'supporterId', message: 'is only for users with role supporter' }]);
    }
    const passwordHash = await hashPassword(dto.password);
    try {
      const user = await this.users.insert({
        email: dto.email.trim(),
        passwordHash,
        role: dto.role,
        supporterId: dto.role === 'supporter' ? dto.supporterId! : null,
      });
      return toUserView(user);
    } catch (err) {
      if (isUniqueViolation(err, 'uq_users_email'))
        throw new DomainError('email_taken', 'A user with that e-mail address already exists.');
      if (isUniqueViolation(err, 'uq_users_supporter')) {
        throw DomainError.validation([{ field: 'supporterId', message: 'that supporter already has a user' }]);
      }
      if (isForeignKeyViolation(err, 'fk_users_supporter')) {
        throw DomainError.validation([{ field: 'supporterId', message: 'no supporter has that id' }]);
      }
      throw err;
    }
  }

  list(): Promise<UserView[]> {
    return this.users.list().then((all) => all.map(toUserView));
  }

  /**
   * Takes a user's access away: no sign-in, and its tokens are refused from
   * the next request on. The last active admin cannot be deactivated (409).
   * Deactivating a deactivated user changes nothing.
   */
  async deactivate(id: string, actor: AuthUser): Promise<UserView> {
    const user = await this.users.transaction(async (m) => {
      // Admins first, in id order, then the user: two admins deactivating each other take turns.
      const admins = await this.users.lockActiveAdmins(m);
      const u = await this.users.lock(id, m);
      if (!u) throw DomainError.notFound('User');
      if (u.deactivatedAt) return u;
      if (u.role === 'admin' && admins.length === 1 && admins[0] === u.id) {
        throw new DomainError(
          'invalid_transition',
          'This is the last active admin. Make another admin first, so that someone can still manage access.',
        );
      }
      u.deactivatedAt = new Date();
      await this.users.setDeactivatedAt(u.id, u.deactivatedAt, m);
      return u;
    });
    this.access.forget(id);
    this.log.log({ msg: 'user deactivated', userId: id, by: actor.id });
    return toUserView(user);
  }

  /** Gives a deactivated user its access back: it can sign in again, and its unexpired tokens work again. */
  async reactivate(id: string, actor: AuthUser): Promise<UserView> {
    const user = await this.users.transaction(async (m) => {
      const u = await this.users.lock(id, m);
      if (!u) throw DomainError.notFound('User');
      if (u.deactivatedAt) {
        u.deactivatedAt = null;
        await this.users.setDeactivatedAt(u.id, null, m);
      }
      return u;
    });
    this.access.forget(id);
    this.log.log({ msg: 'user reactivated', userId: id, by: actor.id });
    return toUserView(user);
  }

  count(): Promise<number> {
    return this.users.count();
  }
}
