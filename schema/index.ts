export * from './catalogue/index.ts';
export * from './errors/index.ts';
export * from './dates/index.ts';
export * from './elements/index.ts';
export * from './supergraph/index.ts';
