import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { trace, type Context } from '@opentelemetry/api';
import {
  ACCESS_MASKED_EXTENSION,
  ACCESS_RECORDS_EXTENSION,
  asKeyObject,
  endSpan,
  FetchMac,
  INTERNAL_TOKEN_HEADER,
  injectTraceContext,
  newHandBackNonce,
  readHandedBackAccess,
  signInternalToken,
  startChildSpan,
  tracingOn,
  type DepartmentVerifyKeys,
  type PlatformKey,
} from '../../server/index.ts';
import { TextResponse } from '../subgraphFetcher.ts';
import type { GatewayContext } from './GatewayContext.ts';

type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type IncomingOperation = Extract<ProcessOptions, { incomingRequestContext: unknown }>;

/** What a fetch's answer allows the whole response to be cached for (Apollo Server's cache hint). */
interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

/** How long a subgraph without a department key is sent signed tokens before its key is looked for again. */
const LOOK_AGAIN_MS = 60_000;

/** Client headers that may travel to subgraphs; everything else stays at the gateway. */
export const FORWARDED_HEADERS = ['traceparent', 'tracestate', 'accept-language'] as const;

/** What travels when the gateway traces: its own fetch span's trace context replaces the client's. */
const FORWARDED_WHEN_TRACING = ['accept-language'] as const;

/**
 * Sends each subgraph fetch with the request's identity in a short-lived token
 * signed by the gateway for that subgraph and for that fetch's exact body, the
 * request id, the trace context of the fetch (the client's `traceparent` when
 * the gateway does not trace), and only the allow-listed client headers. One token per
 * fetch (a MAC under the key shared with the subgraph's department, else an
 * Ed25519 signature): a token that could serve two fetches could be replayed
 * with a third. Each fetch asks for its ACCESS records back
 * under a fresh nonce, and takes only records its department signed for it.
 */
export class SigningDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly key: PlatformKey,
    fetcher: Fetcher,
    private readonly departmentKeys: DepartmentVerifyKeys,
  ) {
    super({ url, fetcher });
  }

  private fetchMac: { key: FetchMac | null; lookAgainAt: number } | null = null;

  /**
   * One fetch, inside a `gateway.fetch` span (child of the request's span,
   * named for the subgraph) when the request is sampled; the subgraph
   * continues the trace under it. Health checks and schema loading carry no
   * caller and go the library's way, unsigned.
   */
  override async process(options: ProcessOptions): ReturnType<RemoteGraphQLDataSource['process']> {
    if (!('incomingRequestContext' in options)) return super.process(options);
    const parent = options.context.trace;
    if (!parent) return this.sendOperation(options, undefined);
    const span = startChildSpan('gateway.fetch', parent, { service: this.subgraph });
    if (!span) return this.sendOperation(options, parent);
    let failed = true;
    try {
      const response = await this.sendOperation(options, trace.setSpan(parent, span));
      failed = false;
      return response;
    } finally {
      endSpan(span, failed);
    }
  }

  /**
   * Sends an operation's fetch as `RemoteGraphQLDataSource` would — the same
   * body, headers, errors for a status that is not 2xx, and cache policy —
   * without its per-fetch WHATWG Request and Headers objects or a second
   * serialisation of the body (the token is signed over the text sent): on
   * a page of 100 people with 100 representations a fetch, those were about
   * a twentieth of a gateway worker's CPU.
   */
  private async sendOperation(
    options: IncomingOperation,
    fetchTrace: Context | undefined,
  ): Promise<GatewayGraphQLResponse> {
    const { request, context, incomingRequestContext } = options;
    if (!request.query) throw new Error('Missing query');
    // The request as the library would send it: without `http`, which JSON leaves out when undefined.
    const body = JSON.stringify({ ...request, http: undefined });
    const handBackNonce = newHandBackNonce();
    const tokenKey = this.tokenKey();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [INTERNAL_TOKEN_HEADER]: await signInternalToken(
        context.identity,
        this.subgraph,
        tokenKey,
        body,
        { handBackNonce },
      ),
      'x-request-id': context.identity.requestId,
    };
    context.subgraphFetches++;
    const incoming = incomingRequestContext.request.http?.headers;
    const tracing = tracingOn();
    for (const name of tracing ? FORWARDED_WHEN_TRACING : FORWARDED_HEADERS) {
      const value = incoming?.get(name);
      if (value) headers[name] = value;
    }
    // The fetch's span is the subgraph's parent (see `process`).
    if (tracing) injectTraceContext(fetchTrace, { set: (name, value) => (headers[name] = value) });
    const response = opened(
      await this.fetcher(this.url, { method: 'POST', headers, body }),
      tokenKey,
      handBackNonce,
    );
    if (!response.ok) throw await this.errorFromResponse(response);
    const parsed: unknown = isJson(headerOf(response, 'content-type'))
      ? await response.json()
      : await response.text();
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
    }
    const received = this.takeAccessRecords({ ...parsed, http: response }, context, handBackNonce);
    const policy = incomingRequestContext.overallCachePolicy as
      { restrict?: (hint: CacheHint) => void } | undefined;
    if (this.honorSubgraphCacheControlHeader && policy?.restrict) {
      policy.restrict(cacheHint(headerOf(response, 'cache-control')));
    }
    return received;
  }

  /**
   * What this fetch's token is made with: the MAC key shared with the
   * subgraph's department (`FetchMac`) once its audit verify key is known,
   * else the gateway's signing key (the platform's own subgraph, a department
   * whose key is not provisioned yet: looked for again a minute later).
   */
  private tokenKey(): PlatformKey | FetchMac {
    const now = Date.now();
    if (!this.fetchMac || (this.fetchMac.key === null && now >= this.fetchMac.lookAgainAt)) {
      this.fetchMac = { key: this.findFetchMac(), lookAgainAt: now + LOOK_AGAIN_MS };
    }
    return this.fetchMac.key ?? this.key;
  }

  private findFetchMac(): FetchMac | null {
    try {
      return FetchMac.between(
        asKeyObject(this.key),
        this.departmentKeys.departmentKey(this.subgraph),
      );
    } catch {
      return null;
    }
  }

  /**
   * Takes the ACCESS records the subgraph handed back (they are committed with
   * the REQUEST record before the client is answered) and notes its report
   * that it masked some item (the REQUEST record's MASKED). Records that are
   * not this fetch's own — another request, subgraph or caller, malformed, or
   * without the department's valid attestation for this fetch's nonce — fail
   * the fetch: its data is dropped, never answered unrecorded.
   */
  private takeAccessRecords(
    response: GatewayGraphQLResponse,
    context: GatewayContext,
    nonce: string,
  ): GatewayGraphQLResponse {
    const extensions = response.extensions;
    if (!extensions) return response;
    if (extensions[ACCESS_MASKED_EXTENSION] === true) context.masked = true;
    const handedBack: unknown = extensions[ACCESS_RECORDS_EXTENSION];
    if (handedBack === undefined) return response;
    delete extensions[ACCESS_RECORDS_EXTENSION];
    const { identity } = context;
    const caller = identity.caller;
    context.accessRecords.push(
      ...readHandedBackAccess(
        handedBack,
        {
          requestId: identity.requestId,
          correlationId: identity.correlationId,
          subgraph: this.subgraph,
          consumerDepartment: caller?.department ?? null,
          consumerApplication: caller?.application ?? null,
          userId: caller?.user ?? null,
          purpose: identity.purpose,
          nonce,
        },
        (department) => this.departmentKeys.departmentKey(department),
      ),
    );
    return response;
  }
}

/**
 * `response` with its answer opened, when the subgraph sealed it for this
 * fetch (it hands the fetch's ACCESS records back: `FetchMac.sealAnswer`).
 * One that does not open under the key the token was made with, for this
 * fetch's nonce, fails the fetch.
 */
function opened(
  response: FetcherResponse,
  tokenKey: PlatformKey | FetchMac,
  handBackNonce: string,
): FetcherResponse {
  const sealed = response instanceof TextResponse ? response.sealed : null;
  if (!sealed) return response;
  if (!(tokenKey instanceof FetchMac)) {
    throw new Error('The subgraph sealed an answer to a fetch whose token was signed, not MACed.');
  }
  let text: string;
  try {
    text = tokenKey.openAnswer(handBackNonce, sealed);
  } catch {
    throw new Error("The subgraph's sealed answer does not open for this fetch.");
  }
  return (response as TextResponse).opened(text);
}

/** A response header, read without making a Headers object where the fetcher kept them raw. */
function headerOf(response: FetcherResponse, name: string): string | null {
  return response instanceof TextResponse ? response.header(name) : response.headers.get(name);
}

function isJson(contentType: string | null): boolean {
  return (
    contentType !== null &&
    (contentType.startsWith('application/json') ||
      contentType.startsWith('application/graphql-response+json'))
  );
}

/**
 * What a subgraph's `cache-control` header allows the whole response, as
 * `RemoteGraphQLDataSource` reads it: no header, or no `max-age`, caches for 0 s.
 */
function cacheHint(header: string | null): CacheHint {
  const hint: CacheHint = { maxAge: 0 };
  for (const directive of header ? header.trim().split(/\s*,\s*/) : []) {
    const [name, raw] = directive.split(/\s*=\s*/, 2) as [string, string | undefined];
    const value = raw?.replace(/^"|"$/g, '');
    if (name === 'max-age' && value !== undefined && /^[0-9]+$/.test(value)) hint.maxAge = +value;
    else if (name === 'private' && value === undefined) hint.scope = 'PRIVATE';
    else if (name === 'public' && value === undefined) hint.scope = 'PUBLIC';
  }
  return hint;
}
