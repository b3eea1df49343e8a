import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:isPublic';

/** No token needed (login, health, caller self-service). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
