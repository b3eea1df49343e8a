import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PUBLIC_EXTENSION } from '@app/common';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The OpenAPI document served at /api/docs-json. It lints clean with Redocly's
 * recommended rules (test/foundation/openapi-lint.e2e-spec.ts), and the
 * console's types (apps/web/src/api/schema.d.ts) are generated from it.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle("Doctors' support line API")
    .setDescription(
      'Intake, matching, bookings and confirmations. Errors are RFC 9457 problem documents (application/problem+json) with a stable `code`. ' +
        'Every operation needs `Authorization: Bearer <accessToken>` from `POST /api/v1/auth/login`, except those marked with no security (sign-in, health, self-referral, the caller’s manage and feedback links).',
    )
    .setVersion('1')
    // Relative: the document is right on whichever host serves it.
    .addServer('/', 'the server this document is served from')
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  // package.json says UNLICENSED; DocumentBuilder.setLicense would also want a URL
  config.info.license = { name: 'UNLICENSED (private to the support line)' };
  const doc = SwaggerModule.createDocument(app, config);
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as (Record<string, unknown> & { security?: unknown[] }) | undefined;
      if (!op?.[PUBLIC_EXTENSION]) continue;
      op.security = [];
      delete op[PUBLIC_EXTENSION];
    }
  }
  return doc;
}
