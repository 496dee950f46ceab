export * from './config/index.ts';
export * from './database/index.ts';
export * from './http/index.ts';
