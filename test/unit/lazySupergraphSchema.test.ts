import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Schema } from '@apollo/federation-internals';
import { ApolloGateway } from '@apollo/gateway';
import { GraphQLSchema } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Apollo Gateway makes the supergraph's graphql-js schema when it is first read
 * (patches/@apollo+gateway+*.patch), not on every supergraph it takes up: only
 * Apollo's executor reads it, and at a province's size it cost seconds and
 * hundreds of megabytes in every gateway process.
 */
describe("Apollo Gateway's supergraph schema", () => {
  afterEach(() => vi.restoreAllMocks());

  const supergraphSdl = readFileSync(
    join(import.meta.dirname, '..', '..', 'schema', 'supergraph.graphql'),
    'utf8',
  );

  it('is not made when a supergraph is taken up, and is made, once, when first read', async () => {
    const made = vi.spyOn(Schema.prototype, 'toGraphQLJSSchema');
    const gateway = new ApolloGateway({ supergraphSdl });
    await gateway.load();
    try {
      // The API schema Apollo Server serves is made; the supergraph's is not.
      expect(made).toHaveBeenCalledTimes(1);
      const parts = gateway as unknown as { supergraphSchema: GraphQLSchema };
      const first = parts.supergraphSchema;
      expect(first).toBeInstanceOf(GraphQLSchema);
      expect(first.getDirective('join__type')).toBeDefined();
      expect(parts.supergraphSchema).toBe(first);
      expect(made).toHaveBeenCalledTimes(2);
    } finally {
      await gateway.stop();
    }
  });
});
