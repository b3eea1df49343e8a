import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@app/common';
import { Roles } from '@app/auth';
import { PoliciesDto } from './dto/policies.dto';
import { Policies, PoliciesService } from './policies.service';

@ApiTags('policies')
@ApiBearerAuth()
@Controller('policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @Roles('intake', 'supporter')
  @ApiOperation({ summary: 'Booking policy: sociable hours, durations, notice, horizon (every role)' })
  @ApiOkResponse({ type: PoliciesDto })
  @ApiProblems(401)
  get(): Promise<Policies> {
    return this.policies.get();
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Replace the booking policy (admin)' })
  @ApiOkResponse({ type: PoliciesDto })
  @ApiProblems(400, 401, 403)
  put(@Body() dto: PoliciesDto): Promise<Policies> {
    return this.policies.replace(dto);
  }
}
