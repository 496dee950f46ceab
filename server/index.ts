export * from './config/index.ts';
export * from './database/index.ts';
export * from './http/index.ts';
export * from './identity/index.ts';
export * from './policy/index.ts';
export * from './audit/index.ts';
export * from './limits/index.ts';
export * from './logging/index.ts';
