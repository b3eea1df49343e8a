import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@app/common';
import { Roles } from '@app/auth';
import { AuditList, AuditQuery, AuditService } from './audit.service';

@ApiTags('privacy')
@ApiBearerAuth()
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'The audit trail of reads and changes of callers’ personal data (admin), newest first' })
  @ApiOkResponse({ type: AuditList })
  @ApiProblems(400, 401, 403)
  list(@Query() q: AuditQuery): Promise<AuditList> {
    return this.audit.list(q);
  }
}
