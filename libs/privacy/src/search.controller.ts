import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiProblems } from '@app/common';
import { RateLimiter, RateLimits } from '@app/database';
import { SearchQuery, SearchResponse } from './dto/search.dto';
import { SearchService } from './search.service';

/** Searches a minute per signed-in user: far above a call taker's pace, far below walking the caller list. */
export const SEARCHES_PER_MINUTE = 60;

@ApiTags('callers')
@ApiBearerAuth()
@Controller('search')
export class SearchController {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly searches: SearchService,
    limits: RateLimits,
  ) {
    this.limiter = limits.limiter({ name: 'search', points: SEARCHES_PER_MINUTE, durationSeconds: 60 });
  }

  @Get()
  @Roles('intake')
  @ApiOperation({
    summary:
      'One search box: a reference (PS-…, RQ-…), a phone number in any spelling, or a name; callers with their open intakes and upcoming sessions (audited)',
  })
  @ApiOkResponse({ type: SearchResponse })
  @ApiProblems(
    400,
    401,
    403,
    { 429: { codes: ['rate_limited'], when: `more than ${SEARCHES_PER_MINUTE} searches a minute by one user` } },
    503,
  )
  async search(@Query() q: SearchQuery, @CurrentUser() user: AuthUser): Promise<SearchResponse> {
    await this.limiter.consume(user.id, 'Too many searches. Please wait a minute and try again.');
    return this.searches.search(q.q);
  }
}
