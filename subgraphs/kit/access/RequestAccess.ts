import type { Knex } from 'knex';
import type { GraphQLError } from 'graphql';
import {
  accessDenied,
  type CatalogueItem,
  type DenialReason,
  type SharingMode,
} from '../../../schema/index.ts';
import {
  countGrantCall,
  type Grant,
  type GrantMask,
  type RequestIdentity,
} from '../../../server/index.ts';
import { AccessLog } from '../audit/index.ts';
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
  /** Rules that allowed this request; their fields skip re-checking (see `applyRules`). */
  readonly settled = new Set<symbol>();
  /** What this request did with each dataset, for the audit trail. */
  readonly log = new AccessLog();
  private readonly snapshot: PolicySnapshot;
  private readonly platformDb: Knex;
  private readonly now: Date;
  private readonly admitted: Record<
    SharingMode,
    Map<DatasetTable, AccessDecision | Promise<AccessDecision>>
  > = { QUERY: new Map(), VERIFY: new Map(), EXPORT: new Map() };
  private readonly quotaChecks = new Map<string, Promise<AccessDecision | null>>();
  /** Per mode, the decision for each dataset: made once, read by every row's fields. */
  private readonly decided: Record<SharingMode, Map<DatasetTable, AccessDecision>> = {
    QUERY: new Map(),
    VERIFY: new Map(),
    EXPORT: new Map(),
  };
  /** Per mode, what the caller gets of each item: made once, read by every row. */
  private readonly items: Record<SharingMode, Map<CatalogueItem, ItemAccess>> = {
    QUERY: new Map(),
    VERIFY: new Map(),
    EXPORT: new Map(),
  };

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

  /**
   * The decision for `table` in `mode`, quota included; memoised for the
   * request. Synchronous unless a daily quota has to be counted (once per grant
   * per request), so rules decided without I/O settle at once.
   */
  admit(table: DatasetTable, mode: SharingMode): AccessDecision | Promise<AccessDecision> {
    const known = this.admitted[mode].get(table);
    if (known) return known;
    const decision = this.decideNow(table, mode);
    const grant = decision.allowed ? decision.grant : null;
    if (!grant || grant.dailyQuota === null) {
      this.admitted[mode].set(table, decision);
      return decision;
    }
    const counted = this.countQuota(grant).then((exceeded) => {
      const final = exceeded ?? decision;
      this.admitted[mode].set(table, final);
      return final;
    });
    this.admitted[mode].set(table, counted);
    return counted;
  }

  /**
   * The QUERY decision, synchronously, for the resolvers and loaders that run
   * after the rules admitted the field (quota was counted there).
   */
  decideNow(table: DatasetTable, mode: SharingMode = 'QUERY'): AccessDecision {
    let decision = this.decided[mode].get(table);
    if (!decision) {
      decision = decideAccess({
        identity: this.identity,
        snapshot: this.snapshot,
        dataset: { code: table.entry.code, department: table.entry.department },
        mode,
        now: this.now,
      });
      this.decided[mode].set(table, decision);
    }
    return decision;
  }

  item(table: DatasetTable, item: CatalogueItem, mode: SharingMode = 'QUERY'): ItemAccess {
    let access = this.items[mode].get(item);
    if (!access) {
      const decision = this.decideNow(table, mode);
      access = decision.allowed
        ? decideItem(decision, item)
        : { kind: 'DENY', reason: decision.reason, message: decision.message };
      this.items[mode].set(item, access);
    }
    return access;
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

  /** The grant a dataset is read under in this request, if any (for the audit trail). */
  grantOf(table: DatasetTable): string | null {
    const decision = this.decided.QUERY.get(table) ?? this.decided.VERIFY.get(table);
    return decision?.allowed ? (decision.grant?.id ?? null) : null;
  }

  /** The error a denied field answers with; the denial goes into the request's access log. */
  error(
    table: DatasetTable,
    item: string | null,
    denial: { reason: DenialReason; message: string },
  ): GraphQLError {
    this.log.denied(table, item, denial.reason);
    return accessDenied({
      reason: denial.reason,
      dataset: table.entry.code,
      item,
      message: denial.message,
    });
  }

  private countQuota(grant: Grant): Promise<AccessDecision | null> {
    let check = this.quotaChecks.get(grant.id);
    if (!check) {
      const quota = grant.dailyQuota!;
      check = countGrantCall(this.platformDb, grant.id, this.now.toISOString().slice(0, 10)).then(
        (calls) =>
          calls > quota
            ? {
                allowed: false as const,
                reason: 'QUOTA_EXCEEDED' as const,
                message: `Grant ${grant.id} allows ${quota} calls a day; today's are used up. The quota resets at 00:00 UTC.`,
              }
            : null,
      );
      this.quotaChecks.set(grant.id, check);
    }
    return check;
  }
}
