import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { trace, type Context } from '@opentelemetry/api';
import {
  ACCESS_MASKED_EXTENSION,
  ACCESS_RECORDS_EXTENSION,
  endSpan,
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
import type { GatewayContext } from './GatewayContext.ts';

type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type ReceivedResponse = Parameters<
  NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>
>[0];

/** Client headers that may travel to subgraphs; everything else stays at the gateway. */
export const FORWARDED_HEADERS = ['traceparent', 'tracestate', 'accept-language'] as const;

/** What travels when the gateway traces: its own fetch span's trace context replaces the client's. */
const FORWARDED_WHEN_TRACING = ['accept-language'] as const;

/**
 * Sends each subgraph fetch with the request's identity in a short-lived token
 * signed by the gateway for that subgraph and for that fetch's exact body, the
 * request id, the trace context of the fetch (the client's `traceparent` when
 * the gateway does not trace), and only the allow-listed client headers. One signature per
 * fetch (Ed25519, tens of microseconds): a token that could serve two fetches
 * could be replayed with a third. Each fetch asks for its ACCESS records back
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

  /**
   * Each fetch's hand-back nonce: its records must be signed for it. Keyed by
   * the request's `http` part, the one object `didReceiveResponse` shares with
   * `willSendRequest` (the library hands it a copy of the request).
   */
  private readonly handBackNonces = new WeakMap<object, string>();

  /** Each fetch's trace context: its span's, or the request's when the request is not sampled. */
  private readonly fetchTraces = new WeakMap<ProcessOptions['request'], Context>();

  /**
   * One fetch, inside a `gateway.fetch` span (child of the request's span,
   * named for the subgraph) when the request is sampled; the subgraph
   * continues the trace under it.
   */
  override async process(options: ProcessOptions): ReturnType<RemoteGraphQLDataSource['process']> {
    const parent = 'incomingRequestContext' in options ? options.context.trace : undefined;
    if (!parent) return super.process(options);
    const span = startChildSpan('gateway.fetch', parent, { service: this.subgraph });
    this.fetchTraces.set(options.request, span ? trace.setSpan(parent, span) : parent);
    if (!span) return super.process(options);
    let failed = true;
    try {
      const response = await super.process(options);
      failed = false;
      return response;
    } finally {
      endSpan(span, failed);
    }
  }

  override async willSendRequest(options: ProcessOptions): Promise<void> {
    // Health checks and schema loading carry no caller; only operations are signed.
    if (!('incomingRequestContext' in options)) return;
    const { request, context, incomingRequestContext } = options;
    const headers = request.http!.headers;
    const handBackNonce = newHandBackNonce();
    this.handBackNonces.set(request.http!, handBackNonce);
    headers.set(
      INTERNAL_TOKEN_HEADER,
      await signInternalToken(context.identity, this.subgraph, this.key, sentBody(request), {
        handBackNonce,
      }),
    );
    headers.set('x-request-id', context.identity.requestId);
    context.subgraphFetches++;
    const incoming = incomingRequestContext.request.http?.headers;
    const tracing = tracingOn();
    for (const name of tracing ? FORWARDED_WHEN_TRACING : FORWARDED_HEADERS) {
      const value = incoming?.get(name);
      if (value) headers.set(name, value);
    }
    // The fetch's span is the subgraph's parent (see `process`).
    if (tracing) injectTraceContext(this.fetchTraces.get(request), headers);
  }

  /**
   * Takes the ACCESS records the subgraph handed back (they are committed with
   * the REQUEST record before the client is answered) and notes its report
   * that it masked some item (the REQUEST record's MASKED). Records that are
   * not this fetch's own — another request, subgraph or caller, malformed, or
   * without the department's valid attestation for this fetch's nonce — fail
   * the fetch: its data is dropped, never answered unrecorded.
   */
  override didReceiveResponse({
    response,
    request,
    context,
  }: ReceivedResponse): ReceivedResponse['response'] {
    const extensions = response.extensions;
    if (!extensions) return response;
    if (extensions[ACCESS_MASKED_EXTENSION] === true) context.masked = true;
    const handedBack: unknown = extensions[ACCESS_RECORDS_EXTENSION];
    if (handedBack !== undefined) {
      delete extensions[ACCESS_RECORDS_EXTENSION];
      const nonce = request.http && this.handBackNonces.get(request.http);
      if (nonce === undefined) throw new Error('ACCESS records came back unasked for');
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
    }
    return response;
  }
}

/**
 * The body `RemoteGraphQLDataSource` will send for `request`: the request
 * without `http`, `query` first, as JSON (APQ is off, so the query always
 * travels). Should the library ever serialise differently, every subgraph
 * refuses every fetch with 401 — loudly, never silently accepting another body.
 */
function sentBody(request: GraphQLDataSourceProcessOptions['request']): string {
  const { query, ...rest } = request;
  // An undefined member is left out of JSON, exactly as the library leaves `http` out.
  return JSON.stringify({ query, ...rest, http: undefined });
}
