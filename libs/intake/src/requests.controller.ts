import { Body, CanActivate, Controller, ExecutionContext, Injectable, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Public } from '@app/common';
import { RateLimiter, RateLimits } from '@app/database';
import { SupportRequestDto, SupportRequestResponse } from './dto/request.dto';
import { IntakeService } from './intake.service';

/** Five requests an hour per IP, whatever their outcome: counted before validation. */
@Injectable()
export class RequestsRateLimitGuard implements CanActivate {
  /** Counted in PostgreSQL: shared by every API process. */
  private readonly limiter: RateLimiter;

  constructor(limits: RateLimits) {
    this.limiter = limits.limiter({ name: 'requests', points: 5, durationSeconds: 3600 });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<{ ip?: string }>();
    await this.limiter.consume(
      String(req.ip),
      'Too many requests from this address. If you need help now, call the support line, NHS 111 or 999.',
    );
    return true;
  }
}

@ApiTags('self-referral')
@Controller('requests')
export class RequestsController {
  constructor(private readonly intakes: IntakeService) {}

  @Public()
  @Post()
  @UseGuards(RequestsRateLimitGuard)
  @ApiOperation({ summary: 'Ask for support on the web (no login): the request lands in the intake queue' })
  @ApiCreatedResponse({ type: SupportRequestResponse })
  @ApiProblems(400, { 429: { codes: ['rate_limited'], when: 'more than 5 requests an hour from one address' } }, 503)
  create(@Body() dto: SupportRequestDto): Promise<SupportRequestResponse> {
    return this.intakes.createRequest(dto);
  }
}
