import type { DatasetPolicy, Grant } from '../../../server/index.ts';

/** A grant as it was and as it is now: `before` undefined for a new one, `after` null for a deleted one. */
export interface GrantChange {
  before: Grant | undefined;
  after: Grant | null;
}

type GrantsByDataset = ReadonlyMap<string, readonly Grant[]>;

/**
 * The sharing decisions and grants in force at one moment, indexed for the
 * request path. Immutable: the store swaps in a new snapshot when the database
 * changes, and a request keeps the one it started with. A changed snapshot
 * (`withChanges`) shares every consumer department's index the change does not
 * touch, so applying a few changes costs what they touch, not the number of
 * grants in force.
 */
export class PolicySnapshot {
  private constructor(
    private readonly policies: ReadonlyMap<string, DatasetPolicy>,
    /** Consumer department → dataset → its grants there (any status), by id. */
    private readonly grants: ReadonlyMap<string, GrantsByDataset>,
  ) {}

  static of(policies: readonly DatasetPolicy[], grants: readonly Grant[]): PolicySnapshot {
    const index = new Map<string, Map<string, Grant[]>>();
    for (const grant of grants) {
      let byDataset = index.get(grant.consumerDepartment);
      if (!byDataset) {
        byDataset = new Map<string, Grant[]>();
        index.set(grant.consumerDepartment, byDataset);
      }
      const list = byDataset.get(grant.datasetCode);
      if (list) list.push(grant);
      else byDataset.set(grant.datasetCode, [grant]);
    }
    for (const byDataset of index.values()) for (const list of byDataset.values()) list.sort(byId);
    return new PolicySnapshot(new Map(policies.map((p) => [p.code, p])), index);
  }

  static readonly EMPTY = PolicySnapshot.of([], []);

  policy(datasetCode: string): DatasetPolicy | undefined {
    return this.policies.get(datasetCode);
  }

  /** Grants (any status) of `department` on `datasetCode`, by id. */
  grantsOf(department: string, datasetCode: string): readonly Grant[] {
    return this.grants.get(department)?.get(datasetCode) ?? [];
  }

  /**
   * This snapshot with `grants` changed and the sharing decisions in
   * `policies` replaced (null: deleted). Copies only the consumer departments'
   * indexes the grants touch, and the decisions only when one changed.
   */
  withChanges(
    grants: readonly GrantChange[],
    policies: ReadonlyMap<string, DatasetPolicy | null>,
  ): PolicySnapshot {
    let nextPolicies = this.policies;
    if (policies.size > 0) {
      const copy = new Map(this.policies);
      for (const [code, policy] of policies) {
        if (policy) copy.set(code, policy);
        else copy.delete(code);
      }
      nextPolicies = copy;
    }
    let nextGrants = this.grants;
    if (grants.length > 0) {
      const outer = new Map(this.grants);
      const copied = new Map<string, Map<string, readonly Grant[]>>();
      const inner = (department: string) => {
        let byDataset = copied.get(department);
        if (!byDataset) {
          byDataset = new Map(outer.get(department));
          copied.set(department, byDataset);
          outer.set(department, byDataset);
        }
        return byDataset;
      };
      for (const { before, after } of grants) {
        if (before) {
          const byDataset = inner(before.consumerDepartment);
          const rest = (byDataset.get(before.datasetCode) ?? []).filter((g) => g.id !== before.id);
          if (rest.length > 0) byDataset.set(before.datasetCode, rest);
          else byDataset.delete(before.datasetCode);
        }
        if (after) {
          const byDataset = inner(after.consumerDepartment);
          const list = (byDataset.get(after.datasetCode) ?? []).filter((g) => g.id !== after.id);
          byDataset.set(after.datasetCode, [...list, after].sort(byId));
        }
      }
      for (const [department, byDataset] of copied)
        if (byDataset.size === 0) outer.delete(department);
      nextGrants = outer;
    }
    return new PolicySnapshot(nextPolicies, nextGrants);
  }
}

function byId(a: Grant, b: Grant): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
