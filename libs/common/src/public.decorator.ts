import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'auth:isPublic';
/**
 * Marks public operations in the OpenAPI document; buildOpenApiDocument turns
 * it into `security: []` (Nest drops an empty security list), so the document
 * says "no token" exactly where the guard asks for none.
 */
export const PUBLIC_EXTENSION = 'x-public';

/** No token needed (login, health, caller self-service). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));
