import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiProblems, UuidPipe } from '@app/common';
import { NotificationList } from '@app/notifications';
import { CreateIntakeDto } from './dto/create-intake.dto';
import { CreateIntakeResponse, IntakeList, IntakeListQuery, IntakeView } from './dto/intake-view.dto';
import { IntakeService } from './intake.service';

@ApiTags('intakes')
@ApiBearerAuth()
@Roles('intake')
@Controller('intakes')
export class IntakeController {
  constructor(private readonly intakes: IntakeService) {}

  @Post()
  @ApiOperation({ summary: 'Record a call: caller recognised by phone or e-mail; immediate danger → signposted' })
  @ApiCreatedResponse({ type: CreateIntakeResponse })
  @ApiProblems(400, 401, 403)
  create(@Body() dto: CreateIntakeDto, @CurrentUser() user: AuthUser): Promise<CreateIntakeResponse> {
    return this.intakes.create(dto, user);
  }

  @Get()
  @ApiOperation({ summary: 'The intake queue, newest first, with filters and a cursor' })
  @ApiOkResponse({ type: IntakeList })
  @ApiProblems(400, 401, 403)
  list(@Query() q: IntakeListQuery): Promise<IntakeList> {
    return this.intakes.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One intake with its status' })
  @ApiOkResponse({ type: IntakeView })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', UuidPipe) id: string): Promise<IntakeView> {
    return this.intakes.get(id);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reopen a closed or withdrawn intake within INTAKE_REOPEN_DAYS of its end (audited); it opens unassigned',
  })
  @ApiOkResponse({ type: IntakeView })
  @ApiProblems(400, 401, 403, 404, {
    409: {
      codes: ['invalid_transition'],
      when: 'the intake is not closed or withdrawn, or it ended more than INTAKE_REOPEN_DAYS ago',
    },
  })
  reopen(@Param('id', UuidPipe) id: string): Promise<IntakeView> {
    return this.intakes.reopen(id);
  }

  @Get(':id/notifications')
  @ApiOperation({ summary: 'Messages sent about this intake (e.g. the web acknowledgement)' })
  @ApiOkResponse({ type: NotificationList })
  @ApiProblems(400, 401, 403, 404)
  notifications(@Param('id', UuidPipe) id: string): Promise<NotificationList> {
    return this.intakes.notificationsOf(id);
  }
}
