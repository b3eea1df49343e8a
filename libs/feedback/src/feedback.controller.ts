import { Body, Controller, Get, Ip, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/auth';
import { Public, RateLimiter } from '@app/common';
import { FeedbackDto, FeedbackFormView, FeedbackService, FeedbackSummary } from './feedback.service';

@ApiTags('feedback')
@Controller('feedback')
export class FeedbackController {
  private readonly limiter = new RateLimiter(30, 60_000);

  constructor(private readonly feedback: FeedbackService) {}

  // Declared before :token so "summary" is never taken for a token.
  @Get('summary')
  @ApiBearerAuth()
  @Roles('admin')
  @ApiOperation({ summary: 'Counts and averages by service and month (admin)' })
  @ApiOkResponse({ type: FeedbackSummary })
  summary(): Promise<FeedbackSummary> {
    return this.feedback.summary();
  }

  @Public()
  @Get(':token')
  @ApiOperation({ summary: 'The anonymous feedback form behind a one-use link (no login)' })
  @ApiOkResponse({ type: FeedbackFormView })
  form(@Param('token') token: string, @Ip() ip: string): Promise<FeedbackFormView> {
    this.limiter.consume(ip);
    return this.feedback.form(token);
  }

  @Public()
  @Post(':token')
  @ApiOperation({ summary: 'Answer once; stored without any link to the caller' })
  @ApiCreatedResponse({ schema: { example: { status: 'received' } } })
  answer(@Param('token') token: string, @Body() dto: FeedbackDto, @Ip() ip: string) {
    this.limiter.consume(ip);
    return this.feedback.answer(token, dto);
  }
}
