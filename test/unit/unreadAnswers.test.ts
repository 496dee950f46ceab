import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { close, createGraphQLHttpServer, listen } from '../../server/index.ts';

/**
 * A client that asks and never reads keeps its answer in the server's memory
 * for as long as it keeps the connection: `sent` tells the gateway's admission
 * gate when an answer has really left, and the send timeout drops a connection
 * that takes nothing for that long.
 */
const SEND_MS = 500;
/** An answer larger than the sockets' buffers on either side, so most of it waits in the process. */
const LARGE = 'x'.repeat(8 * 1024 * 1024);

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

async function server() {
  const apollo = new ApolloServer({
    schema: buildSchema('type Query { large: String }'),
    rootValue: { large: () => LARGE },
  });
  await apollo.start();
  const sent: Promise<void>[] = [];
  const http = createGraphQLHttpServer({
    apollo,
    timeouts: { sendMs: SEND_MS },
    context: async (_req, request) => {
      sent.push(request.sent);
      return {};
    },
  });
  const base = await listen(http, '127.0.0.1', 0);
  running.push(async () => {
    await close(http, 100);
    await apollo.stop();
  });
  return { port: Number(new URL(base).port), sent };
}

/** Sends a request for the large answer on a raw connection; `read` says whether it reads the answer. */
function ask(port: number, read: boolean) {
  const body = JSON.stringify({ query: '{ large }' });
  const socket = connect(port, '127.0.0.1');
  let received = 0;
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => (received += chunk.length));
  if (!read) socket.pause();
  socket.write(
    `POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  return { socket, closed, received: () => received };
}

const settled = (promise: Promise<void>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

describe('an answer its client does not read', () => {
  it('is not sent until the client reads; the connection is dropped after the send timeout', async () => {
    const { port, sent } = await server();
    const unread = ask(port, false);
    await expect.poll(() => sent.length).toBe(1);
    expect(await settled(sent[0]!, SEND_MS / 2)).toBe(false);
    // Dropped once nothing could be sent for the send timeout: the answer leaves memory.
    expect(await settled(sent[0]!, 10 * SEND_MS)).toBe(true);
    expect(unread.received()).toBeLessThan(LARGE.length);
    unread.socket.resume();
    expect(await settled(unread.closed, 10 * SEND_MS)).toBe(true);
    expect(unread.received()).toBeLessThan(LARGE.length);
  });

  it('is sent, and settles, as soon as a reading client has taken it; the connection stays open', async () => {
    const { port, sent } = await server();
    const reader = ask(port, true);
    await expect.poll(() => sent.length).toBe(1);
    expect(await settled(sent[0]!, 10 * SEND_MS)).toBe(true);
    await expect.poll(() => reader.received()).toBeGreaterThan(LARGE.length);
    // Kept alive past the send timeout: it bounds sending, not an idle connection.
    expect(await settled(reader.closed, 3 * SEND_MS)).toBe(false);
    reader.socket.destroy();
  });
});
