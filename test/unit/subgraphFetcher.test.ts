import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphFetcher } from '../../gateway/subgraphFetcher.ts';

/**
 * A subgraph answering as `handler` does, served for the tests of one
 * `describe`, and a fetcher with `timeoutMs` whose `send` posts `query` to it
 * as the platform's subgraph, resolving to the answer or to what it failed with.
 */
function servedSubgraph(handler: RequestListener, timeoutMs: number) {
  const fetcher = createSubgraphFetcher({ timeoutMs });
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await fetcher.close();
    server.closeAllConnections();
    server.close();
  });
  return {
    send: (query: string, signal?: AbortSignal): Promise<unknown> =>
      fetcher
        .forSubgraph('platform')(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables: {} }),
          signal,
        })
        .catch((e: unknown) => e),
  };
}

/**
 * A subgraph that does not answer in time costs only its part of the answer,
 * with an error that names it and says what to do: try a query again, but
 * look before trying a mutation again, which the subgraph may still carry out.
 */
describe('the subgraph fetcher on a subgraph too slow to answer', () => {
  const subgraph = servedSubgraph((_, res) => {
    setTimeout(() => res.end('{"data":{}}'), 1500).unref();
  }, 200);

  const failure = async (query: string) => {
    const error = await subgraph.send(query);
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

/**
 * The fetch's time bounds the whole answer, not only each wait: a subgraph
 * that sends its headers at once and then a byte at a time, each well within
 * the timeout, is cut off when the fetch's time is up.
 */
describe('the subgraph fetcher on a subgraph that trickles its answer', () => {
  const subgraph = servedSubgraph((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const body = '{"data":{"catalogueEntries":[]}}'.padEnd(200, ' ');
    let sent = 0;
    const drip = setInterval(() => {
      if (res.destroyed) return clearInterval(drip);
      res.write(body[sent++]!);
      if (sent === body.length) {
        clearInterval(drip);
        res.end();
      }
    }, 50);
    drip.unref();
  }, 300);

  it('gives up when the fetch has taken its whole time, and says the subgraph timed out', async () => {
    const began = performance.now();
    const error = await subgraph.send('{ catalogueEntries { code } }');
    const took = performance.now() - began;
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'SUBGRAPH_TIMEOUT',
    });
    // The whole answer would take 200 × 50 ms = 10 s.
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(3000);
  });

  it("stops at once when the caller's own signal aborts, with the caller's reason", async () => {
    const caller = new AbortController();
    setTimeout(() => caller.abort(new Error('the client went away')), 100).unref();
    const error = await subgraph.send('{ catalogueEntries { code } }', caller.signal);
    expect((error as Error).message).toBe('the client went away');
  });
});
