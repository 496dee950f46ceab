/**
 * What the platform's fields that read many records declare to the gateway's
 * cost estimate, through the cost spec's `@cost` and `@listSize` in this
 * subgraph's schema (see the gateway's `declaredCosts`): the estimate sees a
 * `String` or a list, the resolver knows what it reads. Each figure is records
 * read, as the estimate counts them; an authenticated caller's operation may
 * cost 10,000 by default, an anonymous one's 2,500.
 */

/** Most records `auditCsv` writes. */
export const CSV_LIMIT = 10_000;

/**
 * `verifyAuditChain` reads every record of every chain (reviewers and admins
 * only): half of what one operation may, so that it still answers with the
 * problems it lists, and two at most run in one operation.
 */
export const WHOLE_TRAIL_COST = 5_000;

/** `dcatCatalogue` writes every published entry with its items. */
export const WHOLE_CATALOGUE_COST = 1_000;

/** A figure counted in SQL over the audit trail for a period (scorecards, compliance, access counts). */
export const TRAIL_AGGREGATE_COST = 1_000;

/**
 * The longest page of the applications, grants and error reports lists, and
 * the most rows each answers without a limit (`pagedList`): their `@listSize`.
 */
export const MAX_LIST_PAGE = 200;
