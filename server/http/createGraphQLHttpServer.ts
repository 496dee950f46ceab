import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { ErrorCode, notFound } from '../../schema/errors/index.ts';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { DEFAULT_TIMEOUTS, type TimeoutConfig } from '../config/index.ts';
import { createLogger, type Logger } from '../logging/index.ts';
import { inServerSpan, metricsRoute } from '../observability/index.ts';
import { BodyTimeoutError, BodyTooLargeError, readBody } from './readBody.ts';
import { sendError } from './sendError.ts';
import { sendJson } from './sendJson.ts';
import { trackRequests } from './trackRequests.ts';

/** A plain route beside GraphQL: `/health`, `/ready`, GraphiQL assets. */
export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface GraphQLHttpServerOptions<TContext extends BaseContext> {
  /** The Apollo Server to use, or a function giving the current one (hot-swapped schemas). */
  apollo: ApolloServer<TContext> | (() => ApolloServer<TContext> | Promise<ApolloServer<TContext>>);
  /**
   * Builds the per-request context; everything per request is made here.
   * `request.body` is the body text exactly as read ('' for GET), for checks
   * bound to it; `request.id` is the id `requestId` gave the request, if set.
   */
  context: (req: IncomingMessage, request: GraphQLHttpRequest) => Promise<TContext>;
  /**
   * Names each GraphQL request: the id goes back in an `X-Request-Id` response
   * header, is handed to `context`, and is added as `extensions.requestId` to
   * every error of a refused response (status 400 and above) — including those
   * refused before or while the context was made, which no plugin sees.
   */
  requestId?: () => string;
  /** Exact-path routes answered before GraphQL (GET and HEAD). */
  routes?: Record<string, Route>;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  /** Header, body, send, keep-alive and whole-request timeouts; `DEFAULT_TIMEOUTS` for any not given. */
  timeouts?: Partial<
    Pick<TimeoutConfig, 'headersMs' | 'bodyMs' | 'sendMs' | 'keepAliveMs' | 'requestMs'>
  >;
  graphqlPath?: string;
  /**
   * The name of each GraphQL request's server span (when tracing is on), which
   * continues the caller's `traceparent`: `gateway POST /graphql`, `subgraph <name>`.
   */
  traceName?: string;
  /**
   * The process's logger, told of a request that failed outside GraphQL (a
   * route that threw): the client gets a bare 500. Without one, such failures
   * go to a logger of errors only, made from the defaults.
   */
  logger?: Pick<Logger, 'error'>;
}

/** What the server read of a GraphQL request before Apollo sees it. */
export interface GraphQLHttpRequest {
  body: string;
  id: string | null;
  /**
   * Settles once the response has left the process (handed whole to the
   * network) or its connection has gone: until then an answer holds memory.
   */
  sent: Promise<void>;
  /**
   * Set by the context function to send the answer sealed (its text turned
   * into the bytes sent, with `type` as the content type), or left null.
   */
  sealAnswer: { type: string; seal(answer: string): Buffer } | null;
}

/**
 * A Node HTTP server in front of an Apollo Server: POST/GET `graphqlPath` goes to
 * Apollo (inside a server span when tracing is on), the routes and `/metrics`
 * answer their paths, anything else is 404. Apollo's own
 * integration contract (`executeHTTPGraphQLRequest`) is used directly, so no web
 * framework sits on the hot path.
 *
 * No client holds the server's resources for long: request headers must arrive
 * within `headersMs`, the body within `bodyMs` (else 408 and the connection is
 * dropped), an idle keep-alive connection closes after `keepAliveMs`, and a
 * GraphQL request unanswered `requestMs` after its body arrived is answered 503
 * UNAVAILABLE.
 * `close()` (./listen.ts) drains: new GraphQL requests are refused with 503
 * while those under way finish.
 */
export function createGraphQLHttpServer<TContext extends BaseContext>(
  options: GraphQLHttpServerOptions<TContext>,
): Server {
  const { context, bodyLimit = 1_000_000, graphqlPath = '/graphql' } = options;
  const logger = options.logger ?? createLogger({ logLevel: 'error' });
  const traceName = options.traceName ?? `POST ${graphqlPath}`;
  // Every server the platform runs can be scraped (see ../observability/metricsRoute.ts).
  const routes: Record<string, Route> = { '/metrics': metricsRoute, ...options.routes };
  const { headersMs, bodyMs, sendMs, keepAliveMs, requestMs } = {
    ...DEFAULT_TIMEOUTS,
    ...options.timeouts,
  };
  const current =
    typeof options.apollo === 'function'
      ? options.apollo
      : () => options.apollo as ApolloServer<TContext>;

  /** Requests under way on each connection (more than one only when a client pipelines). */
  const underway = new WeakMap<object, number>();
  // Node checks the header and whole-request timeouts on this interval (default 30 s).
  const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    // Node hands over at once every request a client pipelines on one
    // connection: twenty connections of two hundred pipelined requests each
    // were four thousand handled together, which held every other caller and
    // /health for seconds. Past MOST_PIPELINED under way on one connection, a
    // request is refused at once and the connection closed after its answer.
    const socket = req.socket;
    const count = (underway.get(socket) ?? 0) + 1;
    underway.set(socket, count);
    res.once('close', () => underway.set(socket, (underway.get(socket) ?? 1) - 1));
    if (count > MOST_PIPELINED) {
      res.setHeader('connection', 'close');
      refuse(res, tooManyPipelined());
      return;
    }
    void handle(req, res);
  });
  const requests = trackRequests(server);

  /** Answers one request; a failure outside GraphQL is answered 500 (or the connection dropped) and logged. */
  function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes[url.pathname];
    const handled =
      route && (req.method === 'GET' || req.method === 'HEAD')
        ? Promise.resolve(route(req, res))
        : url.pathname === graphqlPath
          ? requests.serve(res, () =>
              inServerSpan(traceName, req, { 'http.route': graphqlPath }, () =>
                handleGraphQL(req, res, url),
              ),
            )
          : Promise.resolve(
              refuse(
                res,
                notFound(`There is nothing at ${url.pathname}; GraphQL is at ${graphqlPath}.`),
              ),
            );
    return handled.catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' });
      else res.destroy();
      logger.error({ err: error, path: url.pathname }, 'a request failed outside GraphQL');
    });
  }

  /** A new request id, answered in the X-Request-Id header; null when this server names none. */
  function nameRequest(res: ServerResponse): string | null {
    const id = options.requestId?.() ?? null;
    if (id !== null) res.setHeader('x-request-id', id);
    return id;
  }

  /** A refusal outside GraphQL, as GraphQL errors are sent: a code, what to do, the request id. */
  function refuse(res: ServerResponse, error: GraphQLError): void {
    sendError(res, error, nameRequest(res));
  }
  server.headersTimeout = headersMs;
  // A backstop for the body timeout below: Node answers 408 once the whole
  // request has not arrived by then.
  server.requestTimeout = headersMs + bodyMs;
  server.keepAliveTimeout = keepAliveMs;
  return server;

  /**
   * `work`'s result, or undefined once `requestMs` have passed: then the
   * request has been answered 503 and whatever `work` gives later is dropped.
   */
  async function withinRequestTimeout<T>(work: Promise<T>, res: ServerResponse) {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        const id = res.getHeader('x-request-id');
        sendJson(res, 503, {
          errors: [
            {
              message: `The request was not answered within ${requestMs} ms, so it was abandoned. Try again, or ask for less at a time.`,
              extensions: {
                code: 'UNAVAILABLE',
                reason: 'REQUEST_TIMEOUT',
                ...(typeof id === 'string' ? { requestId: id } : {}),
              },
            },
          ],
        });
        resolve(undefined);
      }, requestMs);
    });
    try {
      return await Promise.race([work, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method !== 'POST' && req.method !== 'GET') {
      res.setHeader('allow', 'GET, POST');
      return refuse(
        res,
        methodNotAllowed(
          `${req.method ?? 'This method'} is not answered here: send GraphQL with POST (or GET, for queries).`,
        ),
      );
    }
    const id = nameRequest(res);
    const sent = new Promise<void>((resolve) => res.once('close', resolve));
    const idExtension = id === null ? {} : { requestId: id };
    let body: unknown = undefined;
    let text = '';
    if (req.method === 'POST') {
      try {
        text = await readBody(req, bodyLimit, bodyMs);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          return sendJson(res, 413, {
            errors: [
              {
                message: `Request body is larger than ${bodyLimit} bytes.`,
                extensions: { code: 'BAD_USER_INPUT', ...idExtension },
              },
            ],
          });
        }
        if (error instanceof BodyTimeoutError) {
          // A body trickled in to hold the connection: answered, then dropped.
          res.setHeader('connection', 'close');
          res.once('finish', () => req.socket.destroy());
          return sendJson(res, 408, {
            errors: [
              {
                message: `The request body did not arrive within ${bodyMs} ms. Send the whole body at once.`,
                extensions: { code: 'BAD_USER_INPUT', reason: 'BODY_TIMEOUT', ...idExtension },
              },
            ],
          });
        }
        throw error;
      }
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        return sendJson(res, 400, {
          errors: [
            {
              message: 'The request body is not valid JSON.',
              extensions: { code: 'BAD_USER_INPUT', ...idExtension },
            },
          ],
        });
      }
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const method = req.method;
    const request: GraphQLHttpRequest = { body: text, id, sent, sealAnswer: null };
    // Counted from here: the body had its own timeout.
    const result = await withinRequestTimeout(
      Promise.resolve(current()).then((apollo) =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method, headers, search: url.search, body },
          context: () => context(req, request),
        }),
      ),
      res,
    );
    // Already answered 503 by the request timeout: this late answer has nowhere to go.
    if (result === undefined) return;
    for (const [name, value] of result.headers) res.setHeader(name, value);
    res.statusCode = result.status ?? 200;
    dropIfUnread(res, sendMs);
    const { sealAnswer } = request;
    if (result.body.kind === 'complete' || sealAnswer) {
      let answer = '';
      if (result.body.kind === 'complete') answer = result.body.string;
      else for await (const chunk of result.body.asyncIterator) answer += chunk;
      if (id !== null && res.statusCode >= 400) answer = withRequestId(answer, id);
      if (!sealAnswer) return void res.end(answer);
      res.setHeader('content-type', sealAnswer.type);
      res.end(sealAnswer.seal(answer));
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

/** A GraphQL error body with `extensions.requestId` on each error that has none. */
function withRequestId(text: string, id: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text;
  }
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return text;
  for (const error of errors as { extensions?: Record<string, unknown> }[]) {
    error.extensions = { requestId: id, ...error.extensions };
  }
  return JSON.stringify(body);
}

/**
 * Drops `res` with its connection when nothing of it could be sent for
 * `sendMs` (the client stopped reading and the socket's buffers are full):
 * otherwise a client that asks and never reads holds its answer in memory for
 * as long as it keeps the connection, and at the gateway its room among the
 * requests in flight (`GraphQLHttpRequest.sent`).
 */
function dropIfUnread(res: ServerResponse, sendMs: number): void {
  const socket = res.socket;
  if (!socket) return;
  const stalled = () => {
    if (!res.writableFinished) res.destroy();
  };
  socket.setTimeout(sendMs, stalled);
  // Once sent, Node sets the connection's keep-alive timeout in place of this one.
  res.once('finish', () => socket.off('timeout', stalled));
}

/** Requests one connection may have under way at once; browsers and HTTP libraries send one. */
const MOST_PIPELINED = 16;

/** A request pipelined past MOST_PIPELINED on its connection (HTTP 429; the connection closes). */
function tooManyPipelined(): GraphQLError {
  return new GraphQLError(
    `More than ${MOST_PIPELINED} requests were sent on one connection without waiting for their answers; this connection is closed. Send at most ${MOST_PIPELINED} at a time, or open more connections.`,
    {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        limit: 'pipelinedRequests',
        maximum: MOST_PIPELINED,
        http: { status: 429 },
      },
    },
  );
}

/** A request with a method a GraphQL path does not answer (HTTP 405). */
function methodNotAllowed(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 405 } },
  });
}
