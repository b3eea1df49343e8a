import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiProblems, UuidPipe } from '@app/common';
import { AvailabilityDto, TimeOffList } from './dto/availability.dto';
import { CreateSupporterDto, SupporterList, SupporterView, UpdateSupporterDto } from './dto/supporter.dto';
import { SupportersService } from './supporters.service';

@ApiTags('supporters')
@ApiBearerAuth()
@Controller('supporters')
export class SupportersController {
  constructor(private readonly supporters: SupportersService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a peer-support doctor or counsellor (admin)' })
  @ApiCreatedResponse({ type: SupporterView })
  @ApiProblems(400, 401, 403, { 409: ['email_taken'] })
  create(@Body() dto: CreateSupporterDto): Promise<SupporterView> {
    return this.supporters.create(dto);
  }

  @Get()
  @Roles('intake')
  @ApiOperation({ summary: 'List supporters (admin, intake)' })
  @ApiOkResponse({ type: SupporterList })
  @ApiProblems(401, 403)
  async list(): Promise<SupporterList> {
    return { supporters: await this.supporters.list() };
  }

  @Get(':id')
  @Roles('supporter')
  @ApiOperation({ summary: 'One supporter (admin; a supporter its own)' })
  @ApiOkResponse({ type: SupporterView })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<SupporterView> {
    return this.supporters.get(id, user);
  }

  @Patch(':id')
  @Roles('supporter')
  @ApiOperation({ summary: 'Change a supporter (admin; a supporter its own, except kind and caseload limit)' })
  @ApiOkResponse({ type: SupporterView })
  @ApiProblems(400, 401, 403, 404, { 409: ['email_taken'] })
  update(
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateSupporterDto,
    @CurrentUser() user: AuthUser,
  ): Promise<SupporterView> {
    return this.supporters.update(id, dto, user);
  }

  @Get(':id/availability')
  @Roles('intake', 'supporter')
  @ApiOperation({ summary: 'The weekly availability rules (admin, intake; a supporter its own)' })
  @ApiOkResponse({ type: AvailabilityDto })
  @ApiProblems(400, 401, 403, 404)
  getAvailability(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser) {
    return this.supporters.getAvailability(id, user);
  }

  @Put(':id/availability')
  @Roles('supporter')
  @ApiOperation({ summary: "Replace the weekly availability (wall-clock in the supporter's zone)" })
  @ApiOkResponse({ type: AvailabilityDto })
  @ApiProblems(400, 401, 403, 404, {
    422: { codes: ['outside_sociable_hours'], when: 'a peer window outside the sociable hours' },
  })
  putAvailability(@Param('id', UuidPipe) id: string, @Body() dto: AvailabilityDto, @CurrentUser() user: AuthUser) {
    return this.supporters.replaceAvailability(id, dto, user);
  }

  @Get(':id/time-off')
  @Roles('supporter')
  @ApiOperation({ summary: 'Time off (admin; a supporter its own)' })
  @ApiOkResponse({ type: TimeOffList })
  @ApiProblems(400, 401, 403, 404)
  listTimeOff(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser) {
    return this.supporters.listTimeOff(id, user);
  }

  // POST :id/time-off lives in the booking library (TimeOffController): its answer lists the confirmed
  // sessions the time off overlaps, and only booking may read bookings.

  @Delete(':id/time-off/:timeOffId')
  @Roles('supporter')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove time off (admin; a supporter its own)' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  deleteTimeOff(
    @Param('id', UuidPipe) id: string,
    @Param('timeOffId', UuidPipe) timeOffId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    return this.supporters.deleteTimeOff(id, timeOffId, user);
  }
}
