import type { Knex } from 'knex';
import type { Catalogue } from '../../../schema/index.ts';
import { checkSubgraph, type SubgraphCandidate, type SubgraphCheck } from './checkSubgraph.ts';
import {
  insertSubgraphVersion,
  selectCurrentSubgraphs,
  type SubgraphVersion,
} from './registryQueries.ts';

export interface PublishRequest {
  candidate: SubgraphCandidate;
  publishedBy: string;
  note: string;
  /**
   * Publish despite breaking changes that hit consumers. Honoured only with an
   * ADMIN's confirmation; composition errors are never overridden.
   */
  force?: { confirmedByAdmin: string } | undefined;
}

export type PublishOutcome =
  | { published: true; version: SubgraphVersion; check: SubgraphCheck }
  | { published: false; unchanged: true; version: SubgraphVersion; check: SubgraphCheck }
  | { published: false; unchanged?: false; check: SubgraphCheck; refusal: string };

/**
 * `subgraph publish`: runs the check, and records the candidate as the new
 * version in force unless it does not compose, or breaks something a consumer
 * uses and no ADMIN confirmed forcing it. Every gateway picks the new version
 * up from the registry within seconds. Publishing what is already in force is
 * a no-op.
 */
export async function publishSubgraph(
  db: Knex,
  catalogue: Catalogue,
  request: PublishRequest,
): Promise<PublishOutcome> {
  const check = await checkSubgraph(db, catalogue, request.candidate);
  const current = (await selectCurrentSubgraphs(db)).find((s) => s.name === request.candidate.name);
  if (current && current.sdl === request.candidate.sdl && current.url === request.candidate.url) {
    return { published: false, unchanged: true, version: current, check };
  }
  if (check.compositionErrors.length > 0) {
    return {
      published: false,
      check,
      refusal: `${request.candidate.name} does not compose with the published subgraphs`,
    };
  }
  const hurting = check.breakingChanges.filter((c) => c.affected.length > 0);
  if (hurting.length > 0 && !request.force) {
    return {
      published: false,
      check,
      refusal: `${request.candidate.name} has ${hurting.length} breaking change(s) that hit consumers; fix them, or publish with --force confirmed by an ADMIN`,
    };
  }
  const note = request.force
    ? `${request.note} (forced, confirmed by ${request.force.confirmedByAdmin})`
    : request.note;
  const version = await insertSubgraphVersion(db, {
    name: request.candidate.name,
    url: request.candidate.url,
    sdl: request.candidate.sdl,
    publishedBy: request.publishedBy,
    note,
  });
  return { published: true, version, check };
}
