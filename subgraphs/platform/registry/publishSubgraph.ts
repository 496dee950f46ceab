import type { Knex } from 'knex';
import type { Catalogue } from '../../../schema/index.ts';
import { inTransaction } from '../../../server/index.ts';
import { checkSubgraphs, type SubgraphCandidate, type SubgraphCheck } from './checkSubgraph.ts';
import { departmentReachProblem } from './departmentReach.ts';
import {
  PLATFORM_SIGNER,
  signerOf,
  type CompositionKeys,
  type RegistrySigner,
} from './registrySignatures.ts';
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
  /** The keys the new versions are signed with: each candidate's subgraph's (`RegistrySigner`). */
  signer: RegistrySigner;
  /** Which stored compositions the check reuses, and whether it stores its own (`composeShared`). */
  compositions?: CompositionKeys | undefined;
}

export type PublishOutcome =
  | { published: true; version: SubgraphVersion; check: SubgraphCheck }
  | { published: false; unchanged: true; version: SubgraphVersion; check: SubgraphCheck }
  | { published: false; unchanged?: false; check: SubgraphCheck; refusal: string };

/** Several subgraphs to publish as one step (`publishSubgraphs`). */
export interface PublishSetRequest extends Omit<PublishRequest, 'candidate'> {
  candidates: readonly SubgraphCandidate[];
}

export type PublishSetOutcome =
  /** `versions`: the new version of each candidate that differed from its version in force. */
  | { published: true; versions: SubgraphVersion[]; check: SubgraphCheck }
  /** `inForce`: each candidate's version in force, which it already is. */
  | { published: false; unchanged: true; inForce: SubgraphVersion[]; check: SubgraphCheck }
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
  const { candidate, ...rest } = request;
  const outcome = await publishSubgraphs(db, catalogue, { ...rest, candidates: [candidate] });
  if (!outcome.published && !outcome.unchanged) return outcome;
  if (outcome.published) return { ...outcome, version: outcome.versions[0]! };
  return { ...outcome, version: outcome.inForce[0]! };
}

/**
 * `publishSubgraph` for subgraphs that change together (see `checkSubgraphs`):
 * checked as one set and recorded in one transaction, or none of them is, so
 * gateways see one change to the registry and take up one supergraph — the
 * one the check composed — rather than an intermediate one per subgraph.
 * Candidates already in force as they are, signed with their subgraph's key,
 * are left out; if all are, nothing is published. Throws, before anything is
 * checked, if this process lacks the key of a candidate's subgraph.
 */
export async function publishSubgraphs(
  db: Knex,
  catalogue: Catalogue,
  request: PublishSetRequest,
): Promise<PublishSetOutcome> {
  const { signer } = request;
  for (const candidate of request.candidates) signer.keyFor(candidate.name);
  const current = await selectCurrentSubgraphs(db);
  const inForce = request.candidates.map((candidate) =>
    current.find(
      (s) =>
        s.name === candidate.name &&
        s.sdl === candidate.sdl &&
        s.url === candidate.url &&
        signer.signed(s),
    ),
  );
  const changed = request.candidates.filter((_, i) => !inForce[i]);
  const check = await checkSubgraphs(db, catalogue, changed, request.compositions);
  const reaching = changed.flatMap((c) => {
    const problem = signerOf(c.name) === PLATFORM_SIGNER ? null : departmentReachProblem(c.sdl);
    return problem ? [`${c.name}: ${problem}`] : [];
  });
  if (reaching.length > 0) {
    return {
      published: false,
      check,
      refusal: `${reaching.join('; ')}; gateways would not serve it`,
    };
  }
  const names = request.candidates.map((c) => c.name).join(', ');
  if (changed.length === 0) {
    return { published: false, unchanged: true, inForce: inForce as SubgraphVersion[], check };
  }
  if (check.compositionErrors.length > 0) {
    return {
      published: false,
      check,
      refusal: `${names} ${request.candidates.length > 1 ? 'do' : 'does'} not compose with the published subgraphs`,
    };
  }
  const hurting = check.breakingChanges.filter((c) => c.affected.length > 0);
  if (hurting.length > 0 && !request.force) {
    return {
      published: false,
      check,
      refusal: `${names} ${request.candidates.length > 1 ? 'have' : 'has'} ${hurting.length} breaking change(s) that hit consumers; fix them, or publish with --force confirmed by an ADMIN`,
    };
  }
  const note = request.force
    ? `${request.note} (forced, confirmed by ${request.force.confirmedByAdmin})`
    : request.note;
  const at = new Date();
  const versions = await inTransaction(db, async (trx) => {
    const inserted: SubgraphVersion[] = [];
    for (const candidate of changed) {
      inserted.push(
        await insertSubgraphVersion(
          trx,
          {
            ...candidate,
            publishedBy: request.publishedBy,
            note,
            at,
          },
          signer,
        ),
      );
    }
    return inserted;
  });
  return { published: true, versions, check };
}
