import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiProblems, UuidPipe } from '@app/common';
import { SlotList, SlotsQueryDto } from './dto/slots-query.dto';
import { SlotsService } from './slots.service';

@ApiTags('supporters')
@ApiBearerAuth()
@Controller('supporters')
export class SlotsController {
  constructor(private readonly slots: SlotsService) {}

  @Get(':id/slots')
  @Roles('intake', 'supporter')
  @ApiOperation({ summary: 'Free bookable slots in [from, to) (admin, intake; a supporter its own)' })
  @ApiOkResponse({ type: SlotList })
  @ApiProblems(400, 401, 403, 404)
  list(@Param('id', UuidPipe) id: string, @Query() q: SlotsQueryDto, @CurrentUser() user: AuthUser): Promise<SlotList> {
    return this.slots.slots(id, q, user);
  }
}
