import { Agent, fetch } from 'undici';

/** One kind of request the load sends, and what in its answer shows data was served. */
export interface LoadRequest {
  kind: string;
  query: string;
  variables: () => Record<string, unknown>;
  headers: Record<string, string>;
  /** The subgraphs whose data the answer holds (each must have written an ACCESS record). */
  servedBy: (data: unknown) => string[];
}

/** What happened to one request. */
export interface LoadResult {
  kind: string;
  /** Milliseconds since the load started, when it was sent and when it ended. */
  sentAt: number;
  endedAt: number;
  /** HTTP status, or null when no response came (connection refused, reset, timeout). */
  status: number | null;
  /** The platform's id of the request (`X-Request-Id`), when answered. */
  requestId: string | null;
  /** Error codes in the answer (`extensions.code`), or the transport error's name. */
  errors: string[];
  /** Subgraphs whose data the answer holds. */
  servedBy: string[];
}

/**
 * Sends `requests` in turn from `concurrency` loops until `running()` says
 * stop, each over a keep-alive connection to `url`, and records every one with
 * times from `now` (milliseconds on the fault run's clock).
 */
export async function runLoad(
  url: string,
  requests: readonly LoadRequest[],
  concurrency: number,
  running: () => boolean,
  now: () => number,
  results: LoadResult[],
): Promise<void> {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 10_000 });
  let next = 0;
  const loop = async () => {
    while (running()) {
      const request = requests[next++ % requests.length]!;
      const sentAt = now();
      const result: LoadResult = {
        kind: request.kind,
        sentAt,
        endedAt: sentAt,
        status: null,
        requestId: null,
        errors: [],
        servedBy: [],
      };
      try {
        const response = await fetch(url, {
          method: 'POST',
          dispatcher: agent,
          signal: AbortSignal.timeout(30_000),
          headers: { 'content-type': 'application/json', ...request.headers },
          body: JSON.stringify({ query: request.query, variables: request.variables() }),
        });
        result.status = response.status;
        result.requestId = response.headers.get('x-request-id');
        const text = await response.text();
        try {
          const body = JSON.parse(text) as {
            data?: unknown;
            errors?: { extensions?: { code?: string } }[];
          };
          result.errors = (body.errors ?? []).map((e) => e.extensions?.code ?? 'ERROR');
          result.servedBy = request.servedBy(body.data);
        } catch {
          result.errors = [`HTTP ${response.status}`];
        }
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        result.errors = [cause?.code ?? (error as Error).name];
      }
      result.endedAt = now();
      results.push(result);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  await agent.close();
}
