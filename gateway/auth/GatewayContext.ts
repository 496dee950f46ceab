import type { RequestIdentity } from '../../server/index.ts';

/** Per-request memo of signed tokens: one signature per subgraph per request. */
export class TokenMemo {
  private readonly tokens = new Map<string, Promise<string>>();

  get(subgraph: string, sign: () => Promise<string>): Promise<string> {
    let token = this.tokens.get(subgraph);
    if (!token) {
      token = sign();
      this.tokens.set(subgraph, token);
    }
    return token;
  }
}

/** What the gateway knows of a request while it plans and fetches. */
export interface GatewayContext {
  identity: RequestIdentity;
  tokens: TokenMemo;
  /** When the request arrived (ms since the epoch), for the audit record's latency. */
  startedAt: number;
}
