export * from './match.types';
export * from './match';
