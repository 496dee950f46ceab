import type { Knex } from 'knex';
import type { Catalogue } from '../../schema/index.ts';
import type { DepartmentSubgraph, RunningSubgraph } from '../../subgraphs/kit/index.ts';
import { publishSubgraph } from '../../subgraphs/platform/registry/index.ts';

/**
 * Follows a newly published catalogue with one served department subgraph:
 * when the department's part changed (`next`, from `rebuildDepartmentSubgraph`,
 * is then a new build; otherwise the running subgraph itself), the subgraph
 * serves the new schema first, then it is published to the registry (as department IT would with
 * `govdata subgraph publish`: refused if it breaks what a consumer uses), and
 * gateways follow the registry. Returns why publication was refused, or null
 * (published, or nothing changed). `url` is where gateways reach it: its own
 * address, or its load balancer's when it runs as replicas.
 */
export async function republishSubgraph(
  platformDb: Knex,
  running: RunningSubgraph,
  catalogue: Catalogue,
  next: DepartmentSubgraph,
  url: string = running.url,
): Promise<string | null> {
  if (next === running.subgraph) return null;
  await running.replace(next);
  return publishRegenerated(
    platformDb,
    catalogue,
    { name: running.name, url, sdl: next.typeDefs },
    "the department's published catalogue changed",
  );
}

/**
 * Publishes a subgraph the platform regenerated from a newly published
 * catalogue, as `govdata subgraph publish` would. Returns why the registry
 * refused it (composition errors, breaking changes), or null.
 */
export async function publishRegenerated(
  platformDb: Knex,
  catalogue: Catalogue,
  candidate: { name: string; url: string; sdl: string },
  note: string,
): Promise<string | null> {
  const outcome = await publishSubgraph(platformDb, catalogue, {
    candidate,
    publishedBy: 'catalogue publication',
    note,
  });
  if (outcome.published || outcome.unchanged) return null;
  const problems = [
    ...outcome.check.compositionErrors,
    ...outcome.check.breakingChanges.map((c) => c.description),
  ];
  return `${outcome.refusal}: ${problems.join('; ')}`;
}
