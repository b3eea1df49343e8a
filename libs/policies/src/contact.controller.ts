import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Public } from '@app/common';
import { SupportLineView } from './dto/policies.dto';
import { PoliciesService } from './policies.service';

/**
 * The numbers a caller may need, for the public pages (ask for support, the
 * manage link). Nothing here is personal, and the answer comes from the
 * one-second policy cache, so it needs no rate limit of its own.
 */
@ApiTags('policies')
@Controller('contact')
export class ContactController {
  constructor(private readonly policies: PoliciesService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: "The support line's own number and the emergency numbers (no sign-in)" })
  @ApiOkResponse({ type: SupportLineView })
  @ApiProblems({ 400: { codes: ['validation_failed'], when: 'a body that is not JSON (a GET needs none)' } }, 503)
  async get(): Promise<SupportLineView> {
    const p = await this.policies.get();
    return { supportLinePhone: p.supportLinePhone, emergencyNumbers: p.emergencyNumbers };
  }
}
