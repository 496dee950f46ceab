import type { AuditEntry, RequestIdentity } from '../../../server/index.ts';
import type { DatasetTable } from '../sql/index.ts';

interface DatasetUse {
  table: DatasetTable;
  records: number;
  returned: Set<string>;
  masked: Set<string>;
  denied: Map<string, string>;
  /** Why the whole dataset was refused, if it was. */
  refused: string | null;
  verified: boolean;
}

/**
 * What one subgraph operation did with each dataset: records returned, items
 * returned, masked and denied. Written where the knowledge is — resolvers note
 * rows and items, rules note denials — and turned into one ACCESS audit record
 * per dataset when the response is about to leave. Names and counts only.
 */
export class AccessLog {
  private readonly uses = new Map<DatasetTable, DatasetUse>();

  private use(table: DatasetTable): DatasetUse {
    let use = this.uses.get(table);
    if (!use) {
      use = {
        table,
        records: 0,
        returned: new Set(),
        masked: new Set(),
        denied: new Map(),
        refused: null,
        verified: false,
      };
      this.uses.set(table, use);
    }
    return use;
  }

  rows(table: DatasetTable, count: number): void {
    this.use(table).records += count;
  }

  item(table: DatasetTable, item: string, masked: boolean): void {
    const use = this.use(table);
    use.returned.add(item);
    if (masked) use.masked.add(item);
  }

  denied(table: DatasetTable, item: string | null, reason: string): void {
    const use = this.use(table);
    if (item === null) use.refused ??= reason;
    else if (!use.denied.has(item)) use.denied.set(item, reason);
  }

  verified(table: DatasetTable): void {
    this.use(table).verified = true;
  }

  /** One ACCESS record per dataset touched; `grantOf` names the grant a dataset was read under. */
  entries(
    identity: RequestIdentity,
    subgraph: string,
    latencyMs: number,
    grantOf: (table: DatasetTable) => string | null,
  ): AuditEntry[] {
    const at = new Date().toISOString();
    const caller = identity.caller;
    return [...this.uses.values()].map((use) => {
      const entry = use.table.entry;
      const returned =
        use.records > 0 ? [...entry.binding.key, ...use.returned] : [...use.returned];
      const denialReason = use.refused ?? use.denied.values().next().value ?? null;
      const decision =
        use.records === 0 && !use.verified && denialReason
          ? 'DENIED'
          : use.masked.size > 0
            ? 'MASKED'
            : 'ALLOWED';
      return {
        at,
        kind: 'ACCESS',
        requestId: identity.requestId,
        subgraph,
        consumerDepartment: caller?.department ?? null,
        consumerApplication: caller?.application ?? null,
        userId: caller?.user ?? null,
        purpose: identity.purpose,
        grantId: grantOf(use.table),
        datasetCode: entry.code,
        providerDepartment: entry.department,
        itemsReturned: [...new Set(returned)],
        itemsMasked: [...use.masked],
        itemsDenied: [...use.denied.keys()],
        recordCount: use.records,
        decision,
        reason: use.verified ? 'VERIFIED' : denialReason,
        operationName: identity.operationName,
        operationHash: null,
        latencyMs,
      } satisfies AuditEntry;
    });
  }
}
