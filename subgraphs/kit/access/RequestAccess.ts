import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { GraphQLError } from 'graphql';
import {
  accessDenied,
  civilDateIn,
  itemSharingType,
  type Catalogue,
  type CatalogueEntry,
  type CatalogueItem,
  type DenialReason,
  type SharingMode,
} from '../../../schema/index.ts';
import {
  budgetHolderOf,
  grantUnitsUsed,
  inSyncSpan,
  reserveGrantUnits,
  takeRecordVerification,
  type Grant,
  type RequestIdentity,
} from '../../../server/index.ts';
import { AccessLog } from '../audit/index.ts';
import {
  keyString,
  type DatasetTable,
  type KeyValue,
  type ListFilter,
  type Row,
} from '../sql/index.ts';
import { decideAccess, type AccessDecision } from './decideAccess.ts';
import { ItemDecider } from './ItemDecider.ts';
import { applyMask } from './masking.ts';
import { READ_FREELY, type ItemAccess, type ItemDenial } from './ItemAccess.ts';
import type { PolicySnapshot } from './PolicySnapshot.ts';
import type { ProbeBudget } from './ProbeBudget.ts';
import { rowAdmits } from './rowAdmits.ts';

/** What a request needs besides the caller and the rules in force. */
export interface AccessSettings {
  /** The whole catalogue: sourced items are decided by their source's rules. */
  catalogue: Catalogue;
  /** The platform's time zone: quota days are its civil days. */
  timeZone: string;
  /** Verifications of one record a consumer may make per day, unless its grant says less. */
  verifyLimitPerRecord: number;
  /** The daily budget of lookups and verifications by keys the caller cannot read that miss. */
  probes: ProbeBudget;
}

/** Where a verification may look, once it is allowed and counted. */
export interface VerificationScope {
  scope: readonly ListFilter[] | null;
}

type Denial = { reason: DenialReason; message: string };

/**
 * The grants whose daily quota this process has seen run out, per platform
 * database, each with its day, by grant and quota (a quota raised since is another key). Once a quota
 * is spent, reads under its grant are refused before any record is looked at
 * (see `RequestAccess.decision`): answered after the records were read, a
 * filtered list told how many records matched, one null per record, and a
 * join whether its record lay within the grant's row filter, every day past
 * the quota and for nothing. A process learns it when a reservation comes back
 * short; until then its reads of that grant are bounded by `charge`'s cut.
 */
const SPENT_QUOTAS = new WeakMap<Knex, Map<string, string>>();
/** Entries kept at most: one per grant with a quota; cleared whole past it (they are relearnt). */
const SPENT_QUOTAS_KEPT = 100_000;

function spentQuotaKey(grant: Grant): string {
  return `${grant.id}\u0000${grant.dailyQuota}`;
}

/** The spent quotas known for the platform database `db` (one per platform a process serves). */
function spentQuotasOf(db: Knex): Map<string, string> {
  let spent = SPENT_QUOTAS.get(db);
  if (!spent) {
    spent = new Map();
    SPENT_QUOTAS.set(db, spent);
  }
  return spent;
}

function noteQuotaSpent(db: Knex, grant: Grant, day: string): void {
  const spent = spentQuotasOf(db);
  if (spent.size >= SPENT_QUOTAS_KEPT) spent.clear();
  spent.set(spentQuotaKey(grant), day);
}
/** An item as every record of its dataset gets it, and whether the access log has noted it so. */
type Uniform = { access: ItemAccess; noted: boolean };
type Allowed = AccessDecision & { allowed: true };

/**
 * One request's view of the sharing rules, for every path (lookups, lists,
 * joins, verification) and mode:
 *
 * - a dataset is admitted once per mode (`admit`); the grants that apply are
 *   all kept, oldest first;
 * - an item — keys included — is what the best applicable grant gives
 *   (unmasked over masked over denied; ties to the older grant), and never
 *   more than its source gives the same caller (`source`, or the key of a
 *   referenced entity: one number, one source), and masked by its `embeds`
 *   mask when the caller may not read every fact it embeds unmasked;
 * - where several grants with different row filters apply, each record is
 *   decided under the grants whose filter admits it (`cell`): a grant's items
 *   are served only on its rows, and a new grant never takes away another's;
 * - quotas count records and verifications (`charge`, `verification`).
 *
 * Decisions are memoised for the request, so a thousand rows cost one decision
 * per item; only records that several filtered grants see differently are
 * decided one by one.
 */
export class RequestAccess {
  readonly identity: RequestIdentity;
  /**
   * The rules decided once per request, as decided: true allowed (their fields
   * call their resolvers directly), false refused (their fields go through
   * graphql-shield, which answers the denial). See `applyRules`.
   */
  readonly ruled = new Map<symbol, boolean>();
  /** What this request did with each dataset, for the audit trail. */
  readonly log = new AccessLog();
  /** Per mode, each dataset's decision by its code: asked for by every entity of a list. */
  private readonly decisions: Record<SharingMode, Map<string, AccessDecision>> = {
    QUERY: new Map(),
    VERIFY: new Map(),
    EXPORT: new Map(),
  };
  /** Items as the sharing rules decide them, memoised for the request. */
  private readonly decider: ItemDecider;
  /** Grants a record was not served under because their quota ran out on it. */
  private readonly spent = new WeakMap<Row, Set<string>>();
  private readonly admitting = new WeakMap<Row, readonly Grant[]>();
  /** Per mode, each item as `item` decides it: read by every row's fields. */
  private readonly plain: Record<SharingMode, Map<CatalogueItem, ItemAccess>> = {
    QUERY: new Map(),
    VERIFY: new Map(),
    EXPORT: new Map(),
  };
  private readonly recordwise: Record<SharingMode, Map<DatasetTable, boolean>> = {
    QUERY: new Map(),
    VERIFY: new Map(),
    EXPORT: new Map(),
  };
  /**
   * Per item, what `answer` gives on every record of its dataset, or null
   * where records are decided one by one (`perRecord`): each field of each row
   * answered then costs one lookup here.
   */
  private readonly uniform = new Map<CatalogueItem, Uniform | null>();
  /** Whether a quota has run out on some record (`spent`): records are then decided one by one. */
  private anySpent = false;

  constructor(
    identity: RequestIdentity,
    private readonly snapshot: PolicySnapshot,
    private readonly platformDb: Knex,
    private readonly settings: AccessSettings,
    private readonly now: Date = new Date(),
  ) {
    this.identity = identity;
    this.decider = new ItemDecider((entry, mode) => this.decision(entry, mode), settings.catalogue);
  }

  /** Whether the caller may use `table` in `mode` at all; memoised for the request. */
  admit(table: DatasetTable, mode: SharingMode): AccessDecision {
    return this.decision(table.entry, mode);
  }

  /**
   * What the caller gets of `item` on the records it may see, before any record
   * is looked at: a denial here denies the field outright. Per record, `cell`.
   */
  item(table: DatasetTable, item: CatalogueItem, mode: SharingMode = 'QUERY'): ItemAccess {
    const known = this.plain[mode].get(item);
    if (known) return known;
    const access = this.decider.effective(table.entry, item, mode, null, 0);
    this.plain[mode].set(item, access);
    return access;
  }

  /** What the caller gets of `item` on this record. */
  cell(
    table: DatasetTable,
    item: CatalogueItem,
    row: Row,
    mode: SharingMode = 'QUERY',
  ): ItemAccess {
    const spent = this.spent.get(row);
    if (!spent && !this.perRecord(table, mode)) return this.item(table, item, mode);
    const decision = this.decision(table.entry, mode);
    if (!decision.allowed) return decision as unknown as ItemDenial;
    let grants = this.admitting.get(row);
    if (!grants) {
      grants = decision.grants.filter((g) => rowAdmits(g.rowFilter, row) && !spent?.has(g.id));
      this.admitting.set(row, grants);
    }
    return this.decider.effective(table.entry, item, mode, grants, 0);
  }

  /**
   * The value of `item` on `row` as the caller may see it — whole, masked, or
   * the denial thrown — noted in the access log with the grant it was answered
   * under. What every item field of every row resolves through.
   */
  answer(table: DatasetTable, item: CatalogueItem, row: Row): unknown {
    let uniform = this.anySpent ? null : this.uniform.get(item);
    if (uniform === undefined) {
      uniform = this.perRecord(table, 'QUERY')
        ? null
        : { access: this.item(table, item), noted: false };
      this.uniform.set(item, uniform);
    }
    const cell = uniform ? uniform.access : this.cell(table, item, row);
    if (cell.kind === 'DENY') throw this.error(table, item.name, cell);
    const masked = cell.kind === 'MASK';
    if (uniform?.noted) {
      this.log.answeredAgain(table, row);
    } else {
      this.log.answered(table, item.name, masked, row, cell.grant?.id ?? null);
      if (uniform) uniform.noted = true;
    }
    const value = row[item.name];
    return masked ? applyMask(cell.mask, value) : value;
  }

  /**
   * The value of `item` on `row` as the caller may export it: whole, masked,
   * or null where no grant gives it on this record (several grants with
   * different row filters). The same decision `answer` makes for a query.
   */
  exported(table: DatasetTable, item: CatalogueItem, row: Row): unknown {
    const cell = this.cell(table, item, row, 'EXPORT');
    if (cell.kind === 'DENY') return null;
    const value = row[item.name] ?? null;
    return cell.kind === 'MASK' ? applyMask(cell.mask, value) : value;
  }

  /**
   * Whether the caller may filter on `item` (a filter reveals values): the item
   * must be read unmasked on every record the filter can reach. Where several
   * grants decide records differently, that is under each of them, or a grant
   * showing it unmasked on its own rows would let a filter probe the values
   * another grant masks on the rest — unless a grant limited to no rows shows
   * it unmasked, which it then is on every record (so a narrower grant added
   * beside it takes nothing away).
   */
  filterable(table: DatasetTable, item: CatalogueItem, mode: SharingMode = 'QUERY'): ItemAccess {
    const access = this.item(table, item, mode);
    if (access.kind !== 'READ' || !this.perRecord(table, mode)) return access;
    const decision = this.decision(table.entry, mode) as Allowed;
    // An UNCONDITIONAL dataset also shows records no grant admits: the item as no grant gives it.
    const sets = decision.grants.map((g) => [g]);
    if (decision.basis === 'UNCONDITIONAL') sets.push([]);
    const onEveryRecord = (grants: Grant[]) =>
      (grants.length === 0 || grants[0]!.rowFilter === null) &&
      this.decider.effective(table.entry, item, mode, grants, 0).kind === 'READ';
    if (sets.some(onEveryRecord)) return access;
    for (const grants of sets) {
      const under = this.decider.effective(table.entry, item, mode, grants, 0);
      if (under.kind !== 'READ') {
        return under.kind === 'DENY'
          ? under
          : { kind: 'MASK', mask: under.mask, grant: under.grant };
      }
    }
    return access;
  }

  /**
   * Whether the caller may follow `item` to the entity it refers to (or back
   * from it): the dataset is admitted and its own rules give the item
   * unmasked. The value itself never reaches the client — entities are joined
   * through sealed handles — but the link does: a grant that masks an item to
   * de-identify records (statistics reading accounts with the holder masked)
   * must not let a join say whose record it is. An item's own, stricter
   * `sharingType` protects its copied value, not the dataset's link, so it
   * does not stop a join (the value stays as its source decides).
   */
  joinable(table: DatasetTable, item: CatalogueItem): ItemAccess {
    const decision = this.decision(table.entry, 'QUERY');
    if (!decision.allowed) return decision as unknown as ItemDenial;
    if (decision.basis === 'PROVIDER') return READ_FREELY;
    if (decision.basis === 'UNCONDITIONAL') {
      return itemSharingType(table.entry, item) === 'NOT_SHARED'
        ? this.decider.notShared(table.entry, item)
        : READ_FREELY;
    }
    return unmaskedForJoin(item, this.decider.bestOf(table.entry, item, decision.grants));
  }

  /** Whether this record may be joined through `item` (see `joinable`), where grants decide records differently. */
  joinableOn(table: DatasetTable, item: CatalogueItem, row: Row): ItemAccess {
    const access = this.joinable(table, item);
    if (access.kind === 'DENY' || !this.perRecord(table, 'QUERY')) return access;
    const decision = this.decision(table.entry, 'QUERY') as Allowed;
    if (decision.basis !== 'GRANT') return access;
    const admitting = decision.grants.filter((g) => rowAdmits(g.rowFilter, row));
    return unmaskedForJoin(item, this.decider.bestOf(table.entry, item, admitting));
  }

  /**
   * The rows of `table` a join through `item` may reach: those of the grants
   * that give the item unmasked (see `joinable`).
   */
  joinScope(table: DatasetTable, item: CatalogueItem): readonly ListFilter[] | null {
    const decision = this.decision(table.entry, 'QUERY');
    if (!decision.allowed) return NO_ROWS;
    if (decision.basis !== 'GRANT') return null;
    const giving = decision.grants.filter(
      (g) => g.items.includes(item.name) && !g.masks[item.name],
    );
    return rowsOf(giving);
  }

  /**
   * The rows the caller may see of `table`: null for all, else any row one of
   * the filters admits (each filter a conjunction; a grant without a filter
   * admits every row). Every statement reading the table carries it.
   */
  scope(table: DatasetTable, mode: SharingMode = 'QUERY'): readonly ListFilter[] | null {
    const decision = this.decision(table.entry, mode);
    if (!decision.allowed) return NO_ROWS;
    if (decision.basis !== 'GRANT') return null;
    return rowsOf(decision.grants);
  }

  /**
   * Counts `rows` against the daily quotas of the grants they are served
   * under and returns them with each record the quotas no longer cover
   * replaced by a QUOTA_EXCEEDED error: a request that would pass the quota
   * gets what remains and errors for the rest. A record within several grants'
   * filters counts against each of them that has a quota; a grant whose quota
   * is spent no longer serves its items on that record.
   */
  async charge(
    table: DatasetTable,
    rows: readonly Row[],
    mode: SharingMode = 'QUERY',
  ): Promise<(Row | GraphQLError)[]> {
    const decision = this.decision(table.entry, mode);
    if (!decision.allowed || rows.length === 0) return [...rows];
    const limited = decision.grants.filter((g) => g.dailyQuota !== null);
    if (limited.length === 0) return [...rows];
    const day = civilDateIn(this.now, this.settings.timeZone);
    const left = new Map<string, number>();
    await Promise.all(
      limited.map(async (grant) => {
        const wanted = rows.filter((row) => rowAdmits(grant.rowFilter, row)).length;
        const taken = await reserveGrantUnits(
          this.platformDb,
          grant.id,
          day,
          wanted,
          grant.dailyQuota!,
          () => noteQuotaSpent(this.platformDb, grant, day),
        );
        left.set(grant.id, taken);
      }),
    );
    return rows.map((row) => {
      const spent = new Set<string>();
      for (const grant of limited) {
        if (!rowAdmits(grant.rowFilter, row)) continue;
        const remaining = left.get(grant.id)!;
        if (remaining > 0) left.set(grant.id, remaining - 1);
        else spent.add(grant.id);
      }
      if (spent.size === 0) return row;
      this.spent.set(row, spent);
      this.anySpent = true;
      const served =
        decision.basis !== 'GRANT' ||
        decision.grants.some((g) => !spent.has(g.id) && rowAdmits(g.rowFilter, row));
      return served ? row : this.error(table, null, this.quotaDenial(limited, day));
    });
  }

  /**
   * Before answering that nothing was found under grants with quotas: throws
   * QUOTA_EXCEEDED when every grant the read is made under has used up its
   * quota today. A found record is counted (`charge`), which tells a process
   * that its grant is spent; an empty answer is not, so a process that had not
   * seen the quota run out (another replica spent it) answered "nothing" to a
   * filter or key that matched nothing, and an error to one that matched. One
   * read of the counts, only for empty answers under quotas.
   */
  async refuseIfQuotaSpent(table: DatasetTable, mode: SharingMode = 'QUERY'): Promise<void> {
    await this.quotaLeft(table, mode);
  }

  /**
   * How many records the quotas of the grants `table` is read under can still
   * cover today (their units left, together), or null where some grant has no
   * quota or none is needed. Throws QUOTA_EXCEEDED, as `refuseIfQuotaSpent`
   * says, when none is left. What an export may announce as its size: a count
   * past that would tell how many records a filter matched beyond the quota.
   */
  async quotaLeft(table: DatasetTable, mode: SharingMode = 'QUERY'): Promise<number | null> {
    const decision = this.decision(table.entry, mode);
    if (!decision.allowed || decision.basis !== 'GRANT') return null;
    const limited = decision.grants.filter((g) => g.dailyQuota !== null);
    if (limited.length === 0 || limited.length < decision.grants.length) return null;
    const day = civilDateIn(this.now, this.settings.timeZone);
    const used = await grantUnitsUsed(
      this.platformDb,
      limited.map((g) => g.id),
      day,
    );
    const left = limited.map((g) => Math.max(0, g.dailyQuota! - (used.get(g.id) ?? 0)));
    const spent = limited.filter((_, i) => left[i] === 0);
    for (const grant of spent) noteQuotaSpent(this.platformDb, grant, day);
    if (spent.length === limited.length) {
      throw this.error(table, null, this.quotaDenial(spent, day));
    }
    return left.reduce((sum, n) => sum + n, 0);
  }

  /**
   * Admits one verification of the record `key` against `items`: every item
   * must be one the caller reads unmasked in VERIFY mode (a yes/no about a
   * value is a read of it). Counts it against the record's daily verification
   * limit and the quota of the grants it is made under, and returns where it
   * may look (their row filters). Throws the denial otherwise.
   */
  async verification(
    table: DatasetTable,
    key: KeyValue,
    items: readonly CatalogueItem[],
  ): Promise<VerificationScope> {
    const entry = table.entry;
    const decision = this.decision(entry, 'VERIFY');
    if (!decision.allowed) throw this.error(table, null, decision);
    for (const item of items) {
      const access = this.item(table, item, 'VERIFY');
      if (access.kind === 'DENY') throw this.error(table, item.name, access);
      if (access.kind === 'MASK') throw this.error(table, item.name, maskedDenial(item, 'verify'));
    }
    if (decision.basis === 'PROVIDER') return { scope: null };
    // The grants under which every item may be verified (none needed for UNCONDITIONAL items).
    const needsGrant = items.some(
      (i) => decision.basis === 'GRANT' || itemSharingType(entry, i) !== 'UNCONDITIONAL',
    );
    let grants = needsGrant
      ? decision.grants.filter((g) =>
          items.every((i) => g.items.includes(i.name) && !g.masks[i.name]),
        )
      : [];
    if (needsGrant && grants.length === 0) {
      throw this.error(table, items[0]?.name ?? null, {
        reason: 'NO_GRANT',
        message: `No single grant of yours lets you verify ${items.map((i) => i.name).join(', ')} of ${entry.code} together; verify them in separate requests or apply for a grant that covers them.`,
      });
    }
    const day = civilDateIn(this.now, this.settings.timeZone);
    const limit = Math.min(
      this.settings.verifyLimitPerRecord,
      ...grants.map((g) => g.verifyLimitPerRecord ?? Infinity),
    );
    const allowed = await takeRecordVerification(
      this.platformDb,
      {
        consumerDepartment: this.budgetHolder,
        datasetCode: entry.code,
        bucket: createHash('sha256')
          .update(`${entry.code}\u0000${keyString(key)}`)
          .digest('hex'),
        day,
      },
      limit,
    );
    if (!allowed) {
      throw this.error(table, null, {
        reason: 'VERIFY_LIMIT_EXCEEDED',
        message: `This ${entry.binding.type} record has been verified ${limit} times today by your department, the most allowed per record per day; try again tomorrow, or read the items if your grant allows it.`,
      });
    }
    const limited = grants.filter((g) => g.dailyQuota !== null);
    if (limited.length > 0) {
      const spent = new Set<string>();
      await Promise.all(
        limited.map(async (g) => {
          const taken = await reserveGrantUnits(this.platformDb, g.id, day, 1, g.dailyQuota!, () =>
            noteQuotaSpent(this.platformDb, g, day),
          );
          if (taken === 0) spent.add(g.id);
        }),
      );
      grants = grants.filter((g) => !spent.has(g.id));
      if (needsGrant && grants.length === 0)
        throw this.error(table, null, this.quotaDenial(limited, day));
    }
    for (const grant of grants) this.log.grantUsed(table, grant.id);
    return { scope: needsGrant ? rowsOf(grants) : null };
  }

  /**
   * The grant a dataset is read under when no record named one (the oldest
   * that applies), for the audit trail; null when none was needed.
   */
  grantOf(table: DatasetTable): string | null {
    for (const mode of ['QUERY', 'VERIFY', 'EXPORT'] as const) {
      const decision = this.decisions[mode].get(table.entry.code);
      if (decision?.allowed && decision.grants.length > 0) return decision.grants[0]!.id;
    }
    return null;
  }

  /**
   * Whether looking `table` up by key (or verifying by key) is a probe: the
   * caller may not read every key item unmasked on every record, so whether a
   * guessed key exists would tell what the key hides (the birth date in an ID
   * number). Lists and exports are then ordered by a keyed hash, not the key.
   */
  probing(table: DatasetTable, mode: SharingMode = 'QUERY'): boolean {
    const decision = this.decision(table.entry, mode);
    if (!decision.allowed || decision.basis === 'PROVIDER') return false;
    // Read on every record, as for a filter: a narrower grant that shows the key unmasked on its
    // own rows must not make the rest ordered by it, or looked up by guesses, for free.
    return table.keyItems.some((k) => this.filterable(table, k, mode).kind !== 'READ');
  }

  /**
   * Before a lookup or verification by a key the caller cannot read (see
   * `probing`): throws PROBE_LIMIT_EXCEEDED when the department's misses on
   * this dataset today have used up the budget (`ProbeBudget`).
   */
  async probe(table: DatasetTable): Promise<void> {
    const { probes } = this.settings;
    for (const code of probedDatasets(table)) {
      if (await probes.allows(this.budgetHolder, code, this.now)) continue;
      const where =
        code === table.entry.code
          ? `keys of ${code}`
          : `keys of ${code}, or of datasets whose keys carry its keys (as ${table.entry.code}'s do),`;
      throw this.error(table, null, {
        reason: 'PROBE_LIMIT_EXCEEDED',
        message: `Your department has looked up or verified ${probes.limitPerDay} ${where} today that found no record, the most allowed a day for keys you cannot read; lookups resume tomorrow (${probes.timeZone}). Check the keys you send.`,
      });
    }
  }

  /**
   * Whose daily budgets of probes and verifications the caller spends (see
   * `budgetHolderOf`), and whose turn its scans take (see `scanRows`).
   */
  get budgetHolder(): string {
    return budgetHolderOf(this.identity.caller?.department ?? '');
  }

  /** Counts a probe that found no record against the day's budget of every dataset it guessed at. */
  async missed(table: DatasetTable): Promise<void> {
    for (const code of probedDatasets(table)) {
      await this.settings.probes.missed(this.budgetHolder, code, 1, this.now);
    }
  }

  /** The error a denied field answers with; the denial goes into the request's access log. */
  error(table: DatasetTable, item: string | null, denial: Denial): GraphQLError {
    this.log.denied(table, item, denial.reason);
    return accessDenied({
      reason: denial.reason,
      dataset: table.entry.code,
      item,
      message: denial.message,
    });
  }

  private decision(entry: CatalogueEntry, mode: SharingMode): AccessDecision {
    let decision = this.decisions[mode].get(entry.code);
    if (!decision) {
      // A span per dataset and mode (decisions are memoised), when tracing is on.
      decision = inSyncSpan(
        'access decision',
        { 'govdata.dataset': entry.code, 'govdata.mode': mode },
        () =>
          this.withoutSpentQuotas(
            decideAccess({
              identity: this.identity,
              snapshot: this.snapshot,
              dataset: { code: entry.code, department: entry.department },
              mode,
              now: this.now,
            }),
          ),
      );
      this.decisions[mode].set(entry.code, decision);
    }
    return decision;
  }

  /**
   * `decision` without the grants whose quota is known spent today (see
   * `SPENT_QUOTAS`): their rows, items and masks count for nothing in this
   * request, decided before any record is read, so that what a spent quota
   * answers never depends on the data. Refused as QUOTA_EXCEEDED when no
   * grant is left of a dataset only grants open.
   */
  private withoutSpentQuotas(decision: AccessDecision): AccessDecision {
    if (!decision.allowed || !decision.grants.some((g) => g.dailyQuota !== null)) return decision;
    const day = civilDateIn(this.now, this.settings.timeZone);
    const known = spentQuotasOf(this.platformDb);
    const spent = decision.grants.filter(
      (g) => g.dailyQuota !== null && known.get(spentQuotaKey(g)) === day,
    );
    if (spent.length === 0) return decision;
    const grants = decision.grants.filter((g) => !spent.includes(g));
    if (grants.length === 0 && decision.basis === 'GRANT') {
      return { allowed: false, ...this.quotaDenial(spent, day) };
    }
    return { ...decision, grants };
  }

  /**
   * Whether records of `table` must be decided one by one: several grants apply
   * and some has a row filter, or an UNCONDITIONAL dataset's CONDITIONAL items
   * come from a filtered grant. Memoised: asked for every field of every row.
   */
  private perRecord(table: DatasetTable, mode: SharingMode): boolean {
    let known = this.recordwise[mode].get(table);
    if (known === undefined) {
      const decision = this.decision(table.entry, mode);
      known =
        decision.allowed &&
        decision.basis !== 'PROVIDER' &&
        !(decision.basis === 'GRANT' && decision.grants.length === 1) &&
        decision.grants.some((g) => g.rowFilter !== null);
      this.recordwise[mode].set(table, known);
    }
    return known;
  }

  private quotaDenial(grants: readonly Grant[], day: string): Denial {
    const named = grants.map((g) => `${g.id} (${g.dailyQuota} a day)`).join(', ');
    return {
      reason: 'QUOTA_EXCEEDED',
      message: `The daily quota of grant${grants.length > 1 ? 's' : ''} ${named} is used up for ${day}; quotas count records returned and verifications, and reset at midnight ${this.settings.timeZone}.`,
    };
  }
}

/** Matches no row: a dataset the caller may not read is never fetched. */
const NO_ROWS: readonly ListFilter[] = [];

/**
 * The rows `grants` admit together, as a scope: none without a grant, all
 * when one has no row filter, else any row one of their filters admits.
 */
function rowsOf(grants: readonly Grant[]): readonly ListFilter[] | null {
  if (grants.length === 0) return NO_ROWS;
  if (grants.some((g) => g.rowFilter === null)) return null;
  return grants.map((g) => g.rowFilter as ListFilter);
}

/** A join needs its item unmasked (see `RequestAccess.joinable`): a mask refuses it. */
function unmaskedForJoin(item: CatalogueItem, access: ItemAccess): ItemAccess {
  return access.kind === 'MASK' ? { kind: 'DENY', ...maskedDenial(item, 'join through') } : access;
}

/** A masked item cannot be verified, filtered on or joined through: either would reveal what the mask hides. */
export function maskedDenial(item: CatalogueItem, verb: string): Denial {
  return {
    reason: 'MASKED',
    message: `${item.name} is masked under your grant; you may not ${verb} it.`,
  };
}

/**
 * The datasets a guessed key of `table` is a guess at: its own, and the source
 * of every key its key copies or carries (`source`, which a reference implies,
 * and `embeds`). A driving licence numbered with its holder's ID number is an
 * ID number: a miss there says an ID number does not exist, so it spends the
 * population's budget too, and a department cannot add each such dataset's
 * budget to the population's.
 */
function probedDatasets(table: DatasetTable): string[] {
  const codes = new Set([table.entry.code]);
  for (const key of table.keyItems) {
    const carried = (key.embeds?.items ?? []).flatMap((name) =>
      table.hasItem(name) ? [table.item(name)] : [],
    );
    for (const item of [key, ...carried]) {
      if (item.source) codes.add(item.source.split('.')[0]!);
    }
  }
  return [...codes];
}
