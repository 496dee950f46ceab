import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { close, createGraphQLHttpServer, listen, retire } from '../../server/index.ts';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

async function graphQLServer() {
  const apollo = new ApolloServer({ schema: buildSchema('type Query { hello: String }') });
  await apollo.start();
  const server = createGraphQLHttpServer({ apollo, context: async () => ({}) });
  const base = await listen(server, '127.0.0.1', 0);
  running.push(async () => {
    await close(server, 100);
    await apollo.stop();
  });
  return { server, base };
}

/** POSTs `{ hello }` on the kept-alive agent: the status, the Connection header and the answer. */
function ask(base: string): Promise<{ status: number; connection: string; body: string }> {
  const body = JSON.stringify({ query: '{ hello }' });
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            connection: String(res.headers.connection),
            body: text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('retiring a server (a gateway worker replaced by a newer one)', () => {
  it('answers requests on open connections, closing each after its answer, and ends once none is left', async () => {
    const { server, base } = await graphQLServer();
    expect(await ask(base)).toMatchObject({ status: 200, connection: 'keep-alive' });
    // The kept-alive connection is idle now: retiring leaves it open for its client.
    let retired = false;
    const retiring = retire(server, 10_000).then(() => (retired = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(retired).toBe(false);
    // The client's next request on it is answered, not refused, and the connection then closes.
    const answer = await ask(base);
    expect(answer).toMatchObject({ status: 200, connection: 'close' });
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: null } });
    await retiring;
    expect(retired).toBe(true);
    // No new connection is taken.
    await expect(ask(base)).rejects.toThrow(/ECONNREFUSED/);
  });
});
