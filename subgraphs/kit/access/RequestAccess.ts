import type { Knex } from 'knex';
import type { GraphQLError } from 'graphql';
import {
  accessDenied,
  type CatalogueItem,
  type DenialReason,
  type SharingMode,
} from '../../../schema/index.ts';
import { countGrantCall, type GrantMask, type RequestIdentity } from '../../../server/index.ts';
import type { DatasetTable, ListFilter } from '../sql/index.ts';
import { decideAccess, decideItem, type AccessDecision, type ItemAccess } from './decideAccess.ts';
import type { PolicySnapshot } from './PolicySnapshot.ts';

/**
 * One request's view of the sharing rules. Decisions are made once per dataset
 * and mode and kept for the request, so a thousand rows of a dataset cost one
 * decision; a grant's daily quota is counted once per request that uses it.
 */
export class RequestAccess {
  readonly identity: RequestIdentity;
  private readonly snapshot: PolicySnapshot;
  private readonly platformDb: Knex;
  private readonly now: Date;
  private readonly decisions = new Map<string, Promise<AccessDecision>>();
  private readonly quotaChecks = new Map<string, Promise<AccessDecision | null>>();

  constructor(
    identity: RequestIdentity,
    snapshot: PolicySnapshot,
    platformDb: Knex,
    now: Date = new Date(),
  ) {
    this.identity = identity;
    this.snapshot = snapshot;
    this.platformDb = platformDb;
    this.now = now;
  }

  /** The decision for `table` in `mode`, quota included; memoised for the request. */
  admit(table: DatasetTable, mode: SharingMode): Promise<AccessDecision> {
    const key = `${table.entry.code}\u0000${mode}`;
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.withQuota(this.decideNow(table, mode));
      this.decisions.set(key, decision);
    }
    return decision;
  }

  /**
   * The QUERY decision, synchronously, for the resolvers and loaders that run
   * after the rules admitted the field (quota was counted there).
   */
  decideNow(table: DatasetTable, mode: SharingMode = 'QUERY'): AccessDecision {
    return decideAccess({
      identity: this.identity,
      snapshot: this.snapshot,
      dataset: { code: table.entry.code, department: table.entry.department },
      mode,
      now: this.now,
    });
  }

  item(table: DatasetTable, item: CatalogueItem, mode: SharingMode = 'QUERY'): ItemAccess {
    const decision = this.decideNow(table, mode);
    if (!decision.allowed)
      return { kind: 'DENY', reason: decision.reason, message: decision.message };
    return decideItem(decision, item);
  }

  /** The mask on an item for this caller, if any. */
  mask(table: DatasetTable, item: CatalogueItem): GrantMask | null {
    const access = this.item(table, item);
    return access.kind === 'MASK' ? access.mask : null;
  }

  /** The grant's row filter on `table`, applied in SQL to every read of it. */
  rowFilter(table: DatasetTable): ListFilter | null {
    const decision = this.decideNow(table);
    return decision.allowed && decision.grant?.rowFilter ? decision.grant.rowFilter : null;
  }

  /** The error a denied field answers with. */
  error(
    table: DatasetTable,
    item: string | null,
    denial: { reason: DenialReason; message: string },
  ): GraphQLError {
    return accessDenied({
      reason: denial.reason,
      dataset: table.entry.code,
      item,
      message: denial.message,
    });
  }

  private async withQuota(decision: AccessDecision): Promise<AccessDecision> {
    if (!decision.allowed || !decision.grant || decision.grant.dailyQuota === null) return decision;
    const grant = decision.grant;
    let check = this.quotaChecks.get(grant.id);
    if (!check) {
      check = countGrantCall(this.platformDb, grant.id, this.now.toISOString().slice(0, 10)).then(
        (calls) =>
          calls > grant.dailyQuota!
            ? {
                allowed: false as const,
                reason: 'QUOTA_EXCEEDED' as const,
                message: `Grant ${grant.id} allows ${grant.dailyQuota} calls a day; today's are used up. The quota resets at 00:00 UTC.`,
              }
            : null,
      );
      this.quotaChecks.set(grant.id, check);
    }
    return (await check) ?? decision;
  }
}
