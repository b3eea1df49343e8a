import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { ApiProblems, Public } from '@app/common';

export class HealthView {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: 'ok' | 'unavailable';
  @ApiProperty({ enum: ['up', 'down'] }) db: 'up' | 'down';
}

/** Liveness with a real database round trip; no auth, no prefix. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @Public()
  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: 'Service and database health' })
  @ApiOkResponse({ type: HealthView, example: { status: 'ok', db: 'up' } })
  @ApiServiceUnavailableResponse({ type: HealthView, example: { status: 'unavailable', db: 'down' } })
  @ApiProblems({
    400: { codes: ['validation_failed'], when: 'a body that is not JSON (a GET needs none)' },
    413: { codes: ['payload_too_large'], when: 'a body over 64 KB' },
  })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const up = await Promise.race([
      this.ds.query('SELECT 1').then(() => true, () => false),
      new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref()),
    ]);
    if (!up) {
      res.status(503);
      return { status: 'unavailable', db: 'down' };
    }
    return { status: 'ok', db: 'up' };
  }
}
