import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/common';
import { isForeignKeyViolation, isUniqueViolation } from '@app/database';
import { CreateUserDto } from './dto/create-user.dto';
import { UserView } from './dto/login.dto';
import { hashPassword } from './password';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

export function toUserView(u: User): UserView {
  return { id: u.id, email: u.email, role: u.role, supporterId: u.supporterId };
}

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

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
      if (isUniqueViolation(err, 'uq_users_email')) throw new DomainError('email_taken', 'A user with that e-mail address already exists.');
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

  count(): Promise<number> {
    return this.users.count();
  }
}
