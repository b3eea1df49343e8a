import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems, ProblemCodes, Public, UNAVAILABLE_RETRY_AFTER, unhandledRejectionCount } from '@app/common';
import { DatabaseProbe } from './database-probe';

export class HealthView {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: 'ok' | 'unavailable';
  @ApiProperty({ enum: ['up', 'down'] }) db: 'up' | 'down';
}

export class LivenessView {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
  @ApiProperty() uptimeSeconds: number;
  @ApiProperty({ description: 'Unhandled promise rejections logged since start' }) unhandledRejections: number;
}

export class ReadinessView {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: 'ok' | 'unavailable';
  @ApiProperty({ enum: ['up', 'down'] }) db: 'up' | 'down';
  @ApiProperty({ enum: ['ok', 'busy', 'unknown'], description: 'unknown while the database is down' }) pool:
    'ok' | 'busy' | 'unknown';
}

const HEALTH_PROBLEMS: ProblemCodes = {
  400: { codes: ['validation_failed'], when: 'a body that is not JSON (a GET needs none)' },
  413: { codes: ['payload_too_large'], when: 'a body over 64 KB' },
};

/**
 * No auth, no prefix. `/health` is the contract's check (503 only when the
 * database is down); `/health/live` says the process is up (restart it when
 * this fails); `/health/ready` says it can serve now (send it traffic only
 * while this is 200): the database answers and the pool has a free connection.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly probe: DatabaseProbe) {}

  @Public()
  @Get()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Service and database health: 503 only when the database is down (a busy pool is still 200; see /health/ready)',
  })
  @ApiOkResponse({ type: HealthView, example: { status: 'ok', db: 'up' } })
  @ApiServiceUnavailableResponse({ type: HealthView, example: { status: 'unavailable', db: 'down' } })
  @ApiProblems(HEALTH_PROBLEMS)
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const { db } = await this.probe.state();
    if (db === 'down') {
      res.status(503).setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER));
      return { status: 'unavailable', db };
    }
    return { status: 'ok', db };
  }

  @Public()
  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP (no database round trip)' })
  @ApiOkResponse({ type: LivenessView, example: { status: 'ok', uptimeSeconds: 42, unhandledRejections: 0 } })
  @ApiProblems(HEALTH_PROBLEMS)
  live(): LivenessView {
    return {
      status: 'ok',
      uptimeSeconds: Math.round(process.uptime()),
      unhandledRejections: unhandledRejectionCount(),
    };
  }

  @Public()
  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Readiness: the database answers and the connection pool is not exhausted; 503 otherwise' })
  @ApiOkResponse({ type: ReadinessView, example: { status: 'ok', db: 'up', pool: 'ok' } })
  @ApiServiceUnavailableResponse({ type: ReadinessView, example: { status: 'unavailable', db: 'up', pool: 'busy' } })
  @ApiProblems(HEALTH_PROBLEMS)
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessView> {
    const s = await this.probe.state();
    if (s.db !== 'up' || s.pool !== 'ok') {
      res.status(503).setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER));
      return { status: 'unavailable', ...s };
    }
    return { status: 'ok', ...s };
  }
}
