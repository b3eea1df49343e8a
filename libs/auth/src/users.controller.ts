import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblems, UuidPipe } from '@app/common';
import type { AuthUser } from './auth-user';
import { CurrentUser, Roles } from './decorators';
import { CreateUserDto } from './dto/create-user.dto';
import { UserView } from './dto/login.dto';
import { UsersService } from './users.service';

class UserList {
  @ApiProperty({ type: [UserView] }) users: UserView[];
}

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a user (admin)' })
  @ApiCreatedResponse({ type: UserView })
  @ApiProblems(400, 401, 403, { 409: ['email_taken'] })
  create(@Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(dto);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOperation({
    summary: "Take a user's access away (admin): no sign-in, its tokens refused; not the last active admin",
  })
  @ApiOkResponse({ type: UserView })
  @ApiProblems(400, 401, 403, 404, { 409: { codes: ['invalid_transition'], when: 'the last active admin' } })
  deactivate(@Param('id', UuidPipe) id: string, @CurrentUser() actor: AuthUser): Promise<UserView> {
    return this.users.deactivate(id, actor);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a deactivated user its access back (admin)' })
  @ApiOkResponse({ type: UserView })
  @ApiProblems(400, 401, 403, 404)
  reactivate(@Param('id', UuidPipe) id: string, @CurrentUser() actor: AuthUser): Promise<UserView> {
    return this.users.reactivate(id, actor);
  }

  @Get()
  @ApiOperation({ summary: 'List users (admin)' })
  @ApiOkResponse({ type: UserList })
  @ApiProblems(401, 403)
  async list(): Promise<UserList> {
    return { users: await this.users.list() };
  }
}
