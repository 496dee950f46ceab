import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { parse, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * A supergraph as the gateway builds it (patches/@apollo+federation-internals+*.patch) keeps no
 * source locations: with them every AST node it keeps holds the lexer's tokens, a linked list of
 * the whole SDL, more than half of the built supergraph's memory. At a province's size (100
 * departments, 10,000 entries) that pushed the platform process past Node's default heap.
 */
describe('a built supergraph', () => {
  const sdl = readFileSync(
    join(import.meta.dirname, '..', '..', 'schema', 'supergraph.graphql'),
    'utf8',
  );

  it('keeps its elements’ AST nodes without locations, and so without the lexer’s tokens', () => {
    const supergraph = Supergraph.build(sdl);
    const query = supergraph.schema.schemaDefinition.rootType('query')!;
    expect(query.sourceAST).toBeDefined();
    expect(query.sourceAST!.loc).toBeUndefined();
    for (const field of query.fields()) expect(field.sourceAST?.loc).toBeUndefined();
  });

  it('is the same supergraph: the same API schema and subgraphs as one built with locations', () => {
    const patched = Supergraph.build(sdl);
    const located = Supergraph.build(parse(sdl));
    expect(located.schema.schemaDefinition.rootType('query')!.sourceAST!.loc).toBeDefined();
    expect(printSchema(patched.apiSchema().toGraphQLJSSchema())).toBe(
      printSchema(located.apiSchema().toGraphQLJSSchema()),
    );
    expect(patched.subgraphs().names()).toEqual(located.subgraphs().names());
  });
});
