import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { close, createGraphQLHttpServer, listen } from '../../server/index.ts';

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

/** A server whose one field waits a little and says how many of its resolutions overlapped. */
async function server() {
  let now = 0;
  let most = 0;
  const apollo = new ApolloServer({
    schema: buildSchema('type Query { slow: Int }'),
    rootValue: {
      slow: async () => {
        most = Math.max(most, ++now);
        await new Promise((resolve) => setTimeout(resolve, 2));
        now--;
        return most;
      },
    },
  });
  await apollo.start();
  const http = createGraphQLHttpServer({
    apollo,
    context: async () => ({}),
    requestId: randomUUID,
  });
  const base = await listen(http, '127.0.0.1', 0);
  running.push(async () => {
    await close(http, 100);
    await apollo.stop();
  });
  return { port: Number(new URL(base).port), base, most: () => most };
}

/**
 * Writes `count` requests in one write on one connection; resolves with the raw answers once
 * `count` have come or the server closed the connection.
 */
function pipeline(port: number, count: number): Promise<string> {
  const body = JSON.stringify({ query: '{ slow }' });
  const one = `POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if ((text.match(/HTTP\/1\.1 /g) ?? []).length === count && text.trimEnd().endsWith('}')) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(one.repeat(count));
  });
}

describe('requests on one connection', () => {
  it('are handled at most sixteen at a time; a client pipelining more is refused and its connection closed', async () => {
    const { port, most } = await server();
    const answers = await pipeline(port, 200);
    expect(answers.match(/HTTP\/1\.1 200/g)).toHaveLength(16);
    expect(answers.match(/HTTP\/1\.1 429/g)).toHaveLength(1);
    expect(answers).toMatch(/"code":"RATE_LIMITED","limit":"pipelinedRequests","maximum":16/);
    expect(answers).toMatch(/Send at most 16 at a time, or open more connections/);
    expect(most()).toBeLessThanOrEqual(16);
    // Sixteen at once are all answered.
    expect((await pipeline(port, 16)).match(/HTTP\/1\.1 200/g)).toHaveLength(16);
  });

  it('a path or method nothing answers gets a code, what to do and a request id', async () => {
    const { base } = await server();
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    const missingBody = (await missing.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(missingBody.errors[0]!.extensions).toMatchObject({
      code: 'NOT_FOUND',
      requestId: missing.headers.get('x-request-id'),
    });
    expect(missingBody.errors[0]!.message).toMatch(/GraphQL is at \/graphql/);
    const options = await fetch(`${base}/graphql`, { method: 'OPTIONS' });
    expect(options.status).toBe(405);
    expect(options.headers.get('allow')).toBe('GET, POST');
    const optionsBody = (await options.json()) as {
      errors: { extensions: Record<string, unknown> }[];
    };
    expect(optionsBody.errors[0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      requestId: expect.any(String),
    });
  });
});
