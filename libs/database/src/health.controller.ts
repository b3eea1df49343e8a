import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, UNAVAILABLE_RETRY_AFTER, unhandledRejectionCount } from '@app/common';
import { DatabaseProbe } from './database-probe';

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
  @ApiOperation({ summary: 'Service and database health: 503 only when the database is down (a busy pool is still 200; see /health/ready)' })
  @ApiOkResponse({ schema: { example: { status: 'ok', db: 'up' } } })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'unavailable', db: 'down' } } })
  async health(@Res({ passthrough: true }) res: Response): Promise<{ status: string; db: string }> {
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
  @ApiOkResponse({ schema: { example: { status: 'ok', uptimeSeconds: 42, unhandledRejections: 0 } } })
  live(): { status: string; uptimeSeconds: number; unhandledRejections: number } {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()), unhandledRejections: unhandledRejectionCount() };
  }

  @Public()
  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Readiness: the database answers and the connection pool is not exhausted; 503 otherwise' })
  @ApiOkResponse({ schema: { example: { status: 'ok', db: 'up', pool: 'ok' } } })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'unavailable', db: 'up', pool: 'busy' } } })
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: string; db: string; pool: string }> {
    const s = await this.probe.state();
    if (s.db !== 'up' || s.pool !== 'ok') {
      res.status(503).setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER));
      return { status: 'unavailable', ...s };
    }
    return { status: 'ok', ...s };
  }
}
