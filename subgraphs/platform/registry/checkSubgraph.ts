import type { Knex } from 'knex';
import { CompositionError, subgraphBreakingChangesAsync } from '../../../schema/index.ts';
import type { Catalogue } from '../../../schema/index.ts';
import { selectGrants } from '../../../server/index.ts';
import { selectCurrentSubgraphs } from './registryQueries.ts';
import { composeShared } from './composeShared.ts';
import type { CompositionKeys } from './registrySignatures.ts';

/** A subgraph about to be published. */
export interface SubgraphCandidate {
  name: string;
  url: string;
  sdl: string;
}

/** Who would be hit by a breaking change: a grant holder or a recent reader. */
export interface AffectedConsumer {
  department: string;
  /** What ties them to the change: a grant, or recent operations read from the audit trail. */
  because: string;
}

export interface BreakingChange {
  /** The subgraph the change is in. */
  subgraph: string;
  type: string;
  description: string;
  affected: AffectedConsumer[];
}

export interface SubgraphCheck {
  ok: boolean;
  /** Composition errors with the subgraph and line they arise at. */
  compositionErrors: string[];
  breakingChanges: BreakingChange[];
  /** The composed supergraph, when composition succeeded. */
  supergraphSdl: string | null;
}

/** Days of audit trail searched for recent readers of a changed field. */
const RECENT_DAYS = 30;

/**
 * What `subgraph check` reports for a candidate: whether it composes with
 * everything else in the registry (errors with where they are), its breaking
 * changes against the version in force (graphql-js's findBreakingChanges:
 * removed types and fields, stricter nullability, new required arguments…),
 * and for each, the consumers whose active grants or recent operations (from
 * the audit trail) it would hit. `ok` is false on any composition error or any
 * breaking change that hits someone.
 */
export function checkSubgraph(
  db: Knex,
  catalogue: Catalogue,
  candidate: SubgraphCandidate,
  compositions?: CompositionKeys,
): Promise<SubgraphCheck> {
  return checkSubgraphs(db, catalogue, [candidate], compositions);
}

/**
 * `checkSubgraph` for several subgraphs published together (a catalogue
 * publication changes a department's subgraph and, with a new entity type, the
 * cross-level one): the registry with every candidate in place is composed
 * once — the supergraph gateways will take up, which the publication then
 * finds stored — and each candidate compared with its version in force.
 */
export async function checkSubgraphs(
  db: Knex,
  catalogue: Catalogue,
  candidates: readonly SubgraphCandidate[],
  compositions?: CompositionKeys,
): Promise<SubgraphCheck> {
  const current = await selectCurrentSubgraphs(db);
  const named = new Set(candidates.map((c) => c.name));
  const others = current.filter((s) => !named.has(s.name));
  // Composing and comparing are independent; at a province's size each runs in a worker thread.
  const [composition, comparisons] = await Promise.all([
    composeShared(
      db,
      [
        ...others.map((s) => ({ name: s.name, url: s.url, typeDefs: s.sdl })),
        ...candidates.map((c) => ({ name: c.name, url: c.url, typeDefs: c.sdl })),
      ],
      { compositions },
    ).then(
      (supergraphSdl) => ({ supergraphSdl, errors: [] as string[] }),
      (error: unknown) => {
        if (!(error instanceof CompositionError)) throw error;
        return { supergraphSdl: null, errors: [...error.errors] };
      },
    ),
    compareWithInForce(current, candidates),
  ]);
  const { supergraphSdl } = composition;
  const compositionErrors = composition.errors;
  const breakingChanges: BreakingChange[] = [];
  for (const { candidate, comparison } of comparisons) {
    if (!comparison.builds) {
      compositionErrors.push(`${candidate.name}: the SDL does not build a subgraph schema`);
      continue;
    }
    for (const change of comparison.changes) {
      breakingChanges.push({
        ...change,
        subgraph: candidate.name,
        affected: await affectedBy(db, catalogue, candidate.name, change.description),
      });
    }
  }
  const hurts = breakingChanges.some((c) => c.affected.length > 0);
  return {
    ok: compositionErrors.length === 0 && !hurts,
    compositionErrors,
    breakingChanges,
    supergraphSdl,
  };
}

/** Each candidate whose SDL differs from its version in force, compared with it (together: one worker at most). */
async function compareWithInForce(
  current: readonly { name: string; sdl: string }[],
  candidates: readonly SubgraphCandidate[],
) {
  const pairs = candidates.flatMap((candidate) => {
    const previous = current.find((s) => s.name === candidate.name);
    // Nothing to compare for a new subgraph, nor for one whose SDL stays as it is.
    return previous && previous.sdl !== candidate.sdl ? [{ candidate, before: previous.sdl }] : [];
  });
  const comparisons = await subgraphBreakingChangesAsync(
    pairs.map(({ candidate, before }) => ({ before, after: candidate.sdl })),
  );
  return pairs.map(({ candidate }, i) => ({ candidate, comparison: comparisons[i]! }));
}

/**
 * The dataset of `department` behind `Type.field`, and the item: the type's own
 * dataset when the department owns it, otherwise the department's dataset that
 * adds the field to that entity (through its join item).
 */
function datasetBehind(
  catalogue: Catalogue,
  department: string,
  type: string,
  field: string | undefined,
) {
  const owner = catalogue.entryForType(type);
  if (owner?.department === department) return { entry: owner, field };
  for (const entry of catalogue.department(department)?.entries ?? []) {
    const item = entry.items.find(
      (i) => i.references?.type === type && (field === undefined || i.references.reverse === field),
    );
    if (item) return { entry, field: field === undefined ? undefined : item.name };
  }
  return null;
}

/**
 * Consumers a change to `Type.field` (as named in the change's description)
 * would hit: active grants on the dataset behind it that include the item (or
 * the whole type), and departments that read it in the last days.
 */
async function affectedBy(
  db: Knex,
  catalogue: Catalogue,
  department: string,
  description: string,
): Promise<AffectedConsumer[]> {
  const match = /^([A-Z]\w*)(?:\.(\w+))?/.exec(description);
  if (!match) return [];
  const behind = datasetBehind(catalogue, department, match[1]!, match[2]);
  if (!behind) return [];
  const { entry, field } = behind;
  const now = new Date().toISOString();
  const affected = new Map<string, AffectedConsumer>();
  for (const grant of await selectGrants(db)) {
    if (grant.datasetCode !== entry.code || grant.status !== 'ACTIVE' || grant.validUntil <= now)
      continue;
    if (field && !grant.items.includes(field) && !entry.binding.key.includes(field)) continue;
    affected.set(`${grant.consumerDepartment}|grant`, {
      department: grant.consumerDepartment,
      because: `active grant ${grant.id} on ${entry.code}${field ? ` includes ${field}` : ''}`,
    });
  }
  const since = new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString();
  const query = db('audit_records')
    .where({ kind: 'ACCESS', dataset_code: entry.code })
    .where('at', '>=', since)
    .whereNot('decision', 'DENIED')
    .whereNot('consumer_department', entry.department);
  if (field) query.where('items_returned', 'like', `%"${field}"%`);
  const readers: { consumer_department: string; n: number | string }[] = await query
    .select('consumer_department')
    .count({ n: '*' })
    .groupBy('consumer_department');
  for (const reader of readers) {
    affected.set(`${reader.consumer_department}|reads`, {
      department: reader.consumer_department,
      because: `${reader.n} access(es) to ${entry.code}${field ? `.${field}` : ''} in the last ${RECENT_DAYS} days`,
    });
  }
  return [...affected.values()];
}
