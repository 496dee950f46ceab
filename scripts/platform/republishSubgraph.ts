import type { Knex } from 'knex';
import type { Catalogue } from '../../schema/index.ts';
import type { DepartmentSubgraph, RunningSubgraph } from '../../subgraphs/kit/index.ts';
import {
  publishSubgraphs,
  type CompositionKeys,
  type RegistrySigner,
  type SubgraphCandidate,
} from '../../subgraphs/platform/registry/index.ts';

/** What a host publishes with: its subgraphs' signing keys, and which compositions it trusts. */
export interface PublishingKeys {
  signer: RegistrySigner;
  compositions?: CompositionKeys | undefined;
}

/**
 * Follows a newly published catalogue with one served department subgraph:
 * when the department's part changed (`next`, from `rebuildDepartmentSubgraph`,
 * is then a new build; otherwise the running subgraph itself), the subgraph
 * serves the new schema, and what is to be published to the registry at `url`
 * (where gateways reach it: its own address, or its load balancer's when it
 * runs as replicas) is returned; null when nothing changed.
 */
export async function serveRebuilt(
  running: RunningSubgraph,
  next: DepartmentSubgraph,
  url: string = running.url,
): Promise<SubgraphCandidate | null> {
  if (next === running.subgraph) return null;
  await running.replace(next);
  return { name: running.name, url, sdl: next.typeDefs };
}

/**
 * `serveRebuilt`, then publishes the subgraph to the registry (as department
 * IT would with `govdata subgraph publish`: refused if it breaks what a
 * consumer uses), and gateways follow the registry. Returns why publication
 * was refused, or null (published, or nothing changed).
 */
export async function republishSubgraph(
  platformDb: Knex,
  running: RunningSubgraph,
  catalogue: Catalogue,
  next: DepartmentSubgraph,
  keys: PublishingKeys,
  url: string = running.url,
): Promise<string | null> {
  const candidate = await serveRebuilt(running, next, url);
  return candidate && publishRegenerated(platformDb, catalogue, [candidate], keys);
}

/**
 * Publishes the subgraphs the platform regenerated from a newly published
 * catalogue, as one registry step (`publishSubgraphs`: gateways take up one
 * new supergraph, not one per subgraph). Returns why the registry refused
 * them (composition errors, breaking changes), or null.
 */
export async function publishRegenerated(
  platformDb: Knex,
  catalogue: Catalogue,
  candidates: readonly SubgraphCandidate[],
  keys: PublishingKeys,
): Promise<string | null> {
  if (candidates.length === 0) return null;
  const outcome = await publishSubgraphs(platformDb, catalogue, {
    ...keys,
    candidates,
    publishedBy: 'catalogue publication',
    note: 'the published catalogue changed',
  });
  if (outcome.published || outcome.unchanged) return null;
  const problems = [
    ...outcome.check.compositionErrors,
    ...outcome.check.breakingChanges.map((c) => `${c.subgraph}: ${c.description}`),
  ];
  return `${outcome.refusal}: ${problems.join('; ')}`;
}
