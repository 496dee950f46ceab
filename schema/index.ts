export * from './catalogue/index.ts';
export * from './errors/index.ts';
