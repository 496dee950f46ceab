import type { DatasetPolicy, Grant } from '../../../server/index.ts';

/**
 * The sharing decisions and grants in force at one moment, indexed for the
 * request path. Immutable: the store swaps in a new snapshot when the database
 * changes, and a request keeps the one it started with.
 */
export class PolicySnapshot {
  private readonly policies: ReadonlyMap<string, DatasetPolicy>;
  private readonly grants: ReadonlyMap<string, readonly Grant[]>;
  private readonly byId: ReadonlyMap<string, Grant>;

  constructor(policies: readonly DatasetPolicy[], grants: readonly Grant[]) {
    this.policies = new Map(policies.map((p) => [p.code, p]));
    const index = new Map<string, Grant[]>();
    for (const grant of grants) {
      const key = PolicySnapshot.key(grant.consumerDepartment, grant.datasetCode);
      const list = index.get(key);
      if (list) list.push(grant);
      else index.set(key, [grant]);
    }
    this.grants = index;
    this.byId = new Map(grants.map((g) => [g.id, g]));
  }

  static readonly EMPTY = new PolicySnapshot([], []);

  private static key(department: string, dataset: string): string {
    return `${department}\u0000${dataset}`;
  }

  policy(datasetCode: string): DatasetPolicy | undefined {
    return this.policies.get(datasetCode);
  }

  /** Grants (any status) of `department` on `datasetCode`. */
  grantsOf(department: string, datasetCode: string): readonly Grant[] {
    return this.grants.get(PolicySnapshot.key(department, datasetCode)) ?? [];
  }

  grant(id: string): Grant | undefined {
    return this.byId.get(id);
  }
}
