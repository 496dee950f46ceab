import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { STATUS_CODES } from 'node:http';
import { GraphQLError } from 'graphql';
import { Agent, request } from 'undici';
import { ErrorCode } from '../schema/index.ts';
import { DEFAULT_TIMEOUTS, metrics, SEALED_ANSWER_TYPE, type Logger } from '../server/index.ts';

/** Most connections kept open to one subgraph origin per gateway process. */
const CONNECTIONS_PER_SUBGRAPH = 64;
/** Largest subgraph response read (a page of 100 rows with joins is far smaller). */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface SubgraphFetcherOptions {
  /** A fetch not answered (headers and whole body) within this is abandoned. */
  timeoutMs?: number;
  /** Told each failed fetch in full (with the address the client never sees), for the operator. */
  logger?: Pick<Logger, 'warn'>;
}

/** The gateway's fetcher, and one per subgraph that names it in errors. */
export type SubgraphFetcher = Fetcher & {
  /** The same fetcher, naming `subgraph` (a department code) when it fails. */
  forSubgraph(subgraph: string): Fetcher;
  close(): Promise<void>;
};

/**
 * The gateway's fetcher for subgraph calls: undici's `request` over a
 * keep-alive pool per subgraph, read as text. Node's built-in `fetch` (the same
 * undici underneath) wraps every call in WHATWG Request, Response and streams:
 * in the gateway's CPU profile that was 10% of each request, for bodies that
 * are only ever read whole as JSON.
 *
 * A subgraph that does not answer within `timeoutMs`, or cannot be reached,
 * fails only its part of the plan: the fetch throws a GraphQLError
 * (`UNAVAILABLE`, `reason` SUBGRAPH_TIMEOUT or SUBGRAPH_UNREACHABLE,
 * `serviceName`) that names the department and never its address, and the
 * gateway answers the rest with that part null.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions = {}): SubgraphFetcher {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUTS.subgraphFetchMs;
  const dispatcher = new Agent({
    connections: CONNECTIONS_PER_SUBGRAPH,
    keepAliveTimeout: 30_000,
    maxResponseSize: MAX_RESPONSE_BYTES,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  let closed: Promise<void> | undefined;
  const fetchFor =
    (subgraph: string | null) =>
    async (url: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
      // One timer per fetch, cleared when it ends: AbortSignal.timeout's timer
      // would fire after every fetch, long answered, and make an exception each time.
      const callers = init?.signal as AbortSignal | undefined | null;
      const deadline = new FetchDeadline();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        deadline.abort();
      }, timeoutMs);
      const callerAborted = (): void => deadline.abort(callers?.reason);
      if (callers?.aborted) callerAborted();
      else callers?.addEventListener('abort', callerAborted, { once: true });
      const began = performance.now();
      try {
        const response = await request(url, {
          method: (init?.method ?? 'GET') as 'GET' | 'POST',
          headers: init?.headers,
          body: init?.body as string | undefined,
          signal: deadline,
          dispatcher,
        });
        // An answer sealed for this gateway (see `FetchMac.sealAnswer`) is bytes, opened by the data source.
        const text =
          response.headers['content-type'] === SEALED_ANSWER_TYPE
            ? Buffer.from(await response.body.arrayBuffer())
            : await response.body.text();
        const status = response.statusCode;
        metrics.subgraphFetch(
          subgraph ?? '(unnamed)',
          (performance.now() - began) / 1000,
          status >= 400 ? `http_${status}` : null,
        );
        return new TextResponse(url, status, response.headers, text);
      } catch (error) {
        if (callers?.aborted) throw error;
        const waitedMs = timedOut ? timeoutMs : null;
        metrics.subgraphFetch(
          subgraph ?? '(unnamed)',
          (performance.now() - began) / 1000,
          waitedMs !== null ? 'timeout' : 'unreachable',
        );
        options.logger?.warn(
          { subgraph, url, timeoutMs: waitedMs, err: error },
          waitedMs !== null ? 'subgraph fetch timed out' : 'subgraph fetch failed',
        );
        throw subgraphUnavailable(subgraph, waitedMs, error, isMutation(init?.body));
      } finally {
        clearTimeout(timer);
        callers?.removeEventListener('abort', callerAborted);
      }
    };
  return Object.assign(fetchFor(null), {
    forSubgraph: (subgraph: string) => fetchFor(subgraph),
    close: () => (closed ??= dispatcher.close()),
  });
}

/**
 * What stops one fetch: a signal in the EventEmitter form undici's `request`
 * takes beside AbortSignal (`aborted`, `reason`, one `abort` listener). An
 * AbortController per fetch, with the listener undici adds and removes on it,
 * cost about 6 µs of every fetch (EventTarget's machinery); this costs a
 * fraction of one.
 */
class FetchDeadline {
  aborted = false;
  reason: unknown = undefined;
  private listener: (() => void) | null = null;

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listener = this.listener;
    this.listener = null;
    listener?.();
  }

  on(event: string, listener: () => void): this {
    return this.once(event, listener);
  }

  once(event: string, listener: () => void): this {
    if (event === 'abort') this.listener = listener;
    return this;
  }

  removeListener(event: string, listener: () => void): this {
    if (event === 'abort' && this.listener === listener) this.listener = null;
    return this;
  }
}

/**
 * Whether a subgraph request carries a mutation: its body is the gateway's own
 * JSON, read again only when a fetch failed.
 */
function isMutation(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    const { query } = JSON.parse(body) as { query?: unknown };
    return typeof query === 'string' && /^\s*mutation\b/.test(query);
  } catch {
    return false;
  }
}

/**
 * The error a client sees for a subgraph that timed out (`waitedMs`) or could
 * not be reached. A mutation that timed out may still be carried out (a
 * province's catalogue publication takes longer than the default timeout), so
 * its caller is told to look before trying again, not to try again.
 */
function subgraphUnavailable(
  subgraph: string | null,
  waitedMs: number | null,
  cause: unknown,
  mutation: boolean,
): GraphQLError {
  const who =
    subgraph === null
      ? 'A department'
      : subgraph === 'platform'
        ? 'The platform service'
        : `The ${subgraph} department`;
  const what = waitedMs !== null ? `did not answer within ${waitedMs} ms` : 'could not be reached';
  const next =
    mutation && waitedMs !== null
      ? 'It may still make the change it was asked for: check its state before trying again.'
      : 'Try again shortly.';
  return new GraphQLError(
    `${who} ${what}, so its part of the answer is missing (null); the rest of the answer stands. ${next}`,
    {
      originalError: cause instanceof Error ? cause : undefined,
      extensions: {
        code: ErrorCode.UNAVAILABLE,
        reason: waitedMs !== null ? 'SUBGRAPH_TIMEOUT' : 'SUBGRAPH_UNREACHABLE',
        ...(subgraph === null ? {} : { serviceName: subgraph }),
      },
    },
  );
}

/** Response headers as undici hands them: lower-case names, repeated ones as arrays. */
type RawHeaders = Record<string, string | string[] | undefined>;

/**
 * A response whose body has been read whole: what the gateway's data sources
 * need of one. Its headers stay as undici gave them until someone asks for a
 * WHATWG `Headers` (the signing data source reads one or two by `header`).
 * A sealed answer's body stays bytes (`sealed`) until the data source opens it
 * (`opened`).
 */
export class TextResponse implements FetcherResponse {
  readonly redirected = false;
  bodyUsed = false;
  private made: Headers | undefined;

  constructor(
    readonly url: string,
    readonly status: number,
    private readonly raw: RawHeaders,
    private readonly body: string | Buffer,
  ) {}

  /** The bytes of a sealed answer, or null for a body read as text. */
  get sealed(): Buffer | null {
    return typeof this.body === 'string' ? null : this.body;
  }

  /** The same response with `text`, the sealed answer opened, as its JSON body. */
  opened(text: string): TextResponse {
    return new TextResponse(
      this.url,
      this.status,
      { ...this.raw, 'content-type': 'application/json; charset=utf-8' },
      text,
    );
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  get headers(): Headers {
    if (!this.made) {
      this.made = new Headers();
      for (const [name, value] of Object.entries(this.raw)) {
        if (Array.isArray(value)) for (const v of value) this.made.append(name, v);
        else if (value !== undefined) this.made.set(name, value);
      }
    }
    return this.made;
  }

  /** One header's value (`name` in lower case), repeated ones joined as Headers would. */
  header(name: string): string | null {
    const value = this.raw[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body.toString();
  }

  async json(): Promise<unknown> {
    this.bodyUsed = true;
    return JSON.parse(this.body.toString());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const bytes = Buffer.from(this.body);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  clone(): FetcherResponse {
    return new TextResponse(this.url, this.status, this.raw, this.body);
  }
}
