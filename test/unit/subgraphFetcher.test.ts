import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphFetcher } from '../../gateway/subgraphFetcher.ts';

/**
 * A subgraph that does not answer in time costs only its part of the answer,
 * with an error that names it and says what to do: try a query again, but
 * look before trying a mutation again, which the subgraph may still carry out.
 */
describe('the subgraph fetcher on a subgraph too slow to answer', () => {
  let server: Server;
  let url: string;
  const fetcher = createSubgraphFetcher({ timeoutMs: 200 });
  beforeAll(async () => {
    server = createServer((_, res) => {
      setTimeout(() => res.end('{"data":{}}'), 1500).unref();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await fetcher.close();
    server.closeAllConnections();
    server.close();
  });

  const failure = async (query: string) => {
    const error = await fetcher
      .forSubgraph('platform')(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: {} }),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'SUBGRAPH_TIMEOUT',
      serviceName: 'platform',
    });
    expect((error as GraphQLError).message).not.toContain('127.0.0.1');
    return (error as GraphQLError).message;
  };

  it('tells a query to try again shortly', async () => {
    const message = await failure('query Q { catalogueEntries { code } }');
    expect(message).toBe(
      'The platform service did not answer within 200 ms, so its part of the answer is missing (null); the rest of the answer stands. Try again shortly.',
    );
  });

  it('tells a mutation to check before trying again, since the change may still be made', async () => {
    const message = await failure(
      'mutation($code: String!) { publishCatalogueEntry(code: $code, version: 1) { status } }',
    );
    expect(message).toMatch(/did not answer within 200 ms/);
    expect(message).toMatch(
      /It may still make the change it was asked for: check its state before trying again\.$/,
    );
    expect(message).not.toMatch(/Try again shortly/);
  });
});
