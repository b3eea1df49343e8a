export * from './sociable';
export * from './overlap';
export * from './continuity';
export * from './hard-rules';
export * from './callback';
