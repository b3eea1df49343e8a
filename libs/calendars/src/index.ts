export * from './busy-time';
export * from './caldav.client';
export * from './credentials-cipher';
export * from './outbound-fetch';
