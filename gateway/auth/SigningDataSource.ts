import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { INTERNAL_TOKEN_HEADER, signInternalToken, type PlatformKey } from '../../server/index.ts';
import type { GatewayContext } from './GatewayContext.ts';

/** Client headers that may travel to subgraphs; everything else stays at the gateway. */
export const FORWARDED_HEADERS = ['traceparent', 'tracestate', 'accept-language'] as const;

/**
 * Sends each subgraph fetch with the request's identity in a short-lived token
 * signed by the gateway for that subgraph, the request id, and only the
 * allow-listed client headers.
 */
export class SigningDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly key: PlatformKey,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<void> {
    // Health checks and schema loading carry no caller; only operations are signed.
    if (!('incomingRequestContext' in options)) return;
    const { request, context, incomingRequestContext } = options;
    const headers = request.http!.headers;
    const token = await context.tokens.get(this.subgraph, () =>
      signInternalToken(context.identity, this.subgraph, this.key),
    );
    headers.set(INTERNAL_TOKEN_HEADER, token);
    headers.set('x-request-id', context.identity.requestId);
    const incoming = incomingRequestContext.request.http?.headers;
    for (const name of FORWARDED_HEADERS) {
      const value = incoming?.get(name);
      if (value) headers.set(name, value);
    }
  }
}
