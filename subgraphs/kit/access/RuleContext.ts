import type { RequestAccess } from './RequestAccess.ts';

/**
 * What the sharing rules read of a request's context: the caller's rights and
 * whether the request may read the SDL only. The subgraph's request context
 * (`SubgraphContext`) is one; the rules depend on nothing else of it.
 */
export interface RuleContext {
  /**
   * The caller's rights. Null only in a subgraph built with rules disabled for a
   * benchmark; a served subgraph always has one.
   */
  access: RequestAccess | null;
  /** True when the request carries a compose credential: it may read the SDL only. */
  composeOnly: boolean;
}
