import type { AuditDecision, AuditEntry, RequestIdentity } from '../../../server/index.ts';
import type { CatalogueEntry } from '../../../schema/index.ts';
import type { DatasetTable } from '../sql/index.ts';

interface DatasetUse {
  table: DatasetTable;
  /** The items a value of which was answered (masked or not), in the order first answered. */
  answered: Set<string>;
  /** The rows at least one item was answered of. */
  answeredRows: Set<object>;
  masked: Set<string>;
  denied: Map<string, string>;
  /** Why a whole dataset, row or answer was refused, if one was. */
  refused: string | null;
  grants: Set<string>;
  verifications: number;
  verifiedItems: Set<string>;
  verificationsMatched: number;
}

/** One verification performed: the items compared and whether all matched. */
export interface Verification {
  items: readonly string[];
  matched: boolean;
}

/**
 * What one subgraph operation gave the caller of each dataset, noted where the
 * knowledge is — resolvers note rows read, items answered and verifications
 * made, rules note denials, the access decision the grants used — and turned
 * into one ACCESS audit record per dataset when the response is about to
 * leave. Names and counts only.
 *
 * The record states what the caller received, not what was read:
 * - a dataset has a record once rows of it were read for the caller (`read`),
 *   or anything of it answered or refused;
 * - `recordCount` counts the distinct records of which the caller received at
 *   least one item (a value, masked or not). Rows read whose every item ended
 *   as an error, or of which only a join handle was asked, are not counted.
 * - the decision is DENIED when nothing was received and something was
 *   denied, PARTIAL when something was received and something denied, MASKED
 *   when all was received and some item masked, ALLOWED otherwise (also when
 *   an allowed lookup found nothing). A verification answered counts as
 *   something received.
 */
export class AccessLog {
  private readonly uses = new Map<DatasetTable, DatasetUse>();

  /** The last dataset noted, and its use: every field of a row notes the same one in turn. */
  private last: DatasetUse | undefined;
  private lastRow: object | undefined;

  private use(table: DatasetTable): DatasetUse {
    if (this.last?.table === table) return this.last;
    let use = this.uses.get(table);
    if (!use) {
      use = {
        table,
        answered: new Set(),
        answeredRows: new Set(),
        masked: new Set(),
        denied: new Map(),
        refused: null,
        grants: new Set(),
        verifications: 0,
        verifiedItems: new Set(),
        verificationsMatched: 0,
      };
      this.uses.set(table, use);
    }
    this.last = use;
    return use;
  }

  /** Rows of `table` were read for the caller: the dataset has a record, whatever is answered of them. */
  read(table: DatasetTable): void {
    this.use(table);
  }

  /**
   * The caller was answered a value of `item` (masked or not) of `row` (the
   * resolver's parent object), under `grantId` (null: no grant was needed).
   */
  answered(
    table: DatasetTable,
    item: string,
    masked: boolean,
    row: object,
    grantId: string | null,
  ): void {
    const use = this.use(table);
    use.answered.add(item);
    if (masked) use.masked.add(item);
    if (grantId !== null) use.grants.add(grantId);
    this.answeredRow(use, row);
  }

  /**
   * `row` of `table` was answered an item already noted with `answered`, as
   * it was then (the same mask and grant): only the row can be new.
   */
  answeredAgain(table: DatasetTable, row: object): void {
    this.answeredRow(this.use(table), row);
  }

  private answeredRow(use: DatasetUse, row: object): void {
    // The fields of one row are resolved one after another: add the row once.
    if (row !== this.lastRow) {
      use.answeredRows.add(row);
      this.lastRow = row;
    }
  }

  /** The caller was refused `item` (or, for null, a whole row, answer or dataset) of `table`. */
  denied(table: DatasetTable, item: string | null, reason: string): void {
    const use = this.use(table);
    if (item === null) use.refused ??= reason;
    else if (!use.denied.has(item)) use.denied.set(item, reason);
  }

  /** One verification on `table` was answered: the items it compared and whether they matched. */
  verification(table: DatasetTable, { items, matched }: Verification): void {
    const use = this.use(table);
    use.verifications += 1;
    for (const item of items) use.verifiedItems.add(item);
    if (matched) use.verificationsMatched += 1;
  }

  /** `table` was read under grant `grantId` (once or many times, for one or several grants). */
  grantUsed(table: DatasetTable, grantId: string): void {
    this.use(table).grants.add(grantId);
  }

  /** One ACCESS record per dataset touched. */
  entries(identity: RequestIdentity, subgraph: string, latencyMs: number): AuditEntry[] {
    const at = new Date().toISOString();
    return [...this.uses.values()].map((use) => {
      const recordCount = use.answeredRows.size;
      return {
        ...accessEntry(identity, subgraph, use.table.entry, at, latencyMs),
        grantId: use.grants.size > 0 ? [...use.grants].sort().join(',') : null,
        itemsReturned: [...use.answered],
        itemsMasked: [...use.masked],
        itemsDenied: [...use.denied.keys()],
        recordCount,
        verifications: use.verifications,
        verifiedItems: [...use.verifiedItems],
        verificationsMatched: use.verificationsMatched,
        decision: decisionOf(use, recordCount),
        reason: use.refused ?? use.denied.values().next().value ?? null,
      } satisfies AuditEntry;
    });
  }

  /** True when some dataset was answered with a masked item (see ACCESS_MASKED_EXTENSION). */
  get anyMasked(): boolean {
    for (const use of this.uses.values()) if (use.masked.size > 0) return true;
    return false;
  }
}

/**
 * An ACCESS record of `entry`'s dataset for this caller, with nothing
 * received yet: what every access record (a request's, an export's) shares.
 */
export function accessEntry(
  identity: RequestIdentity,
  subgraph: string,
  entry: CatalogueEntry,
  at: string,
  latencyMs: number,
): AuditEntry {
  const caller = identity.caller;
  return {
    at,
    kind: 'ACCESS',
    requestId: identity.requestId,
    correlationId: identity.correlationId,
    subgraph,
    consumerDepartment: caller?.department ?? null,
    consumerApplication: caller?.application ?? null,
    userId: caller?.user ?? null,
    purpose: identity.purpose,
    grantId: null,
    datasetCode: entry.code,
    providerDepartment: entry.department,
    itemsReturned: [],
    itemsMasked: [],
    itemsDenied: [],
    recordCount: 0,
    verifications: 0,
    verifiedItems: [],
    verificationsMatched: 0,
    decision: 'ALLOWED',
    reason: null,
    operationName: identity.operationName,
    operationHash: null,
    latencyMs,
  };
}

function decisionOf(use: DatasetUse, recordCount: number): AuditDecision {
  const received = recordCount > 0 || use.verifications > 0;
  const denied = use.refused !== null || use.denied.size > 0;
  if (denied) return received ? 'PARTIAL' : 'DENIED';
  return use.masked.size > 0 ? 'MASKED' : 'ALLOWED';
}
