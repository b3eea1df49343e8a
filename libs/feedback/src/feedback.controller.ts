import { Body, Controller, Get, Ip, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/auth';
import { ApiProblems, Public } from '@app/common';
import { RateLimiter, RateLimits } from '@app/database';
import { FeedbackDto, FeedbackFormView, FeedbackService, FeedbackSummary } from './feedback.service';

@ApiTags('feedback')
@Controller('feedback')
export class FeedbackController {
  /** 30 requests a minute per address, counted in PostgreSQL (shared by every API process). */
  private readonly limiter: RateLimiter;

  constructor(
    private readonly feedback: FeedbackService,
    limits: RateLimits,
  ) {
    this.limiter = limits.limiter({ name: 'feedback', points: 30, durationSeconds: 60 });
  }

  // Declared before :token so "summary" is never taken for a token.
  @Get('summary')
  @ApiBearerAuth()
  @Roles('admin')
  @ApiOperation({ summary: 'Counts and averages by service and month (admin)' })
  @ApiOkResponse({ type: FeedbackSummary })
  @ApiProblems(401, 403)
  summary(): Promise<FeedbackSummary> {
    return this.feedback.summary();
  }

  @Public()
  @Get(':token')
  @ApiOperation({ summary: 'The anonymous feedback form behind a one-use link (no login)' })
  @ApiOkResponse({ type: FeedbackFormView })
  @ApiProblems(
    { 404: ['not_found'], 429: { codes: ['rate_limited'], when: 'more than 30 requests a minute from one address' } },
    503,
  )
  async form(@Param('token') token: string, @Ip() ip: string): Promise<FeedbackFormView> {
    await this.limiter.consume(ip);
    return this.feedback.form(token);
  }

  @Public()
  @Post(':token')
  @ApiOperation({ summary: 'Answer once; stored without any link to the caller' })
  @ApiCreatedResponse({ schema: { example: { status: 'received' } } })
  @ApiProblems(
    400,
    {
      404: ['not_found'],
      409: { codes: ['invalid_transition'], when: 'already answered' },
      429: { codes: ['rate_limited'], when: 'more than 30 requests a minute from one address' },
    },
    503,
  )
  async answer(@Param('token') token: string, @Body() dto: FeedbackDto, @Ip() ip: string) {
    await this.limiter.consume(ip);
    return this.feedback.answer(token, dto);
  }
}
