import type { Knex } from 'knex';
import type { DepartmentVerifyKeys } from '../../../server/index.ts';
import type { CatalogueSdl } from './catalogueReach.ts';
import { entryProblem, sdlHash, signEntry, type RegistrySigner } from './registrySignatures.ts';

/** One published version of a subgraph. */
export interface SubgraphVersion {
  name: string;
  version: number;
  url: string;
  sdl: string;
  sdlHash: string;
  publishedBy: string;
  publishedAt: string;
  note: string;
  /** Its subgraph's key's signature (`registrySignatures`); null on rows from before signing. */
  signature: string | null;
}

interface VersionRow {
  name: string;
  version: number;
  url: string;
  sdl: string;
  sdl_hash: string;
  published_by: string;
  published_at: string;
  note: string;
  signature: string | null;
}

const fromRow = (r: VersionRow): SubgraphVersion => ({
  name: r.name,
  version: Number(r.version),
  url: r.url,
  sdl: r.sdl,
  sdlHash: r.sdl_hash,
  publishedBy: r.published_by,
  publishedAt: r.published_at,
  note: r.note,
  signature: r.signature ?? null,
});

export { sdlHash };

/** The version in force of every subgraph: the newest of each name. */
export async function selectCurrentSubgraphs(db: Knex): Promise<SubgraphVersion[]> {
  const newest = db('subgraph_versions')
    .select('name')
    .max('version as version')
    .groupBy('name')
    .as('newest');
  const rows = await db<VersionRow>('subgraph_versions as v')
    .join(newest, function () {
      this.on('v.name', '=', 'newest.name').andOn('v.version', '=', 'newest.version');
    })
    .select('v.*')
    .orderBy('v.name');
  return (rows as VersionRow[]).map(fromRow);
}

export async function selectSubgraphHistory(db: Knex, name: string): Promise<SubgraphVersion[]> {
  return (await db<VersionRow>('subgraph_versions').where({ name }).orderBy('version', 'desc')).map(
    fromRow,
  );
}

/**
 * A fingerprint of the registry that moves with every publication, and with
 * rows deleted or their signatures removed. A row edited in place may leave it
 * still; what is served is checked again at the next move all the same.
 */
export async function selectRegistryRevision(db: Knex): Promise<string> {
  const row = await db('subgraph_versions').first<{
    n: number | string;
    signed: number | string;
    at: string | null;
  }>(
    db.raw('count(*) as n'),
    db.raw('count(signature) as signed'),
    db.raw('max(published_at) as at'),
  );
  return `${row?.n ?? 0}/${row?.signed ?? 0}/${row?.at ?? ''}`;
}

/**
 * What gateways serve: for each subgraph, its newest version signed with its
 * subgraph's key (`registrySignatures`). A newer version that is not — written
 * by whoever holds the database credential but not the key — is passed over
 * for the newest signed one before it, and named in `problems`; so is a
 * department's version that declares more than its published catalogue
 * entries generate (`catalogueSdl`); a subgraph with no version fit to serve
 * is not served.
 */
export async function selectServedSubgraphs(
  db: Knex,
  keys: DepartmentVerifyKeys,
  catalogueSdl: CatalogueSdl,
): Promise<{ served: SubgraphVersion[]; problems: string[] }> {
  const served: SubgraphVersion[] = [];
  const problems: string[] = [];
  for (const newest of await selectCurrentSubgraphs(db)) {
    const problem = entryProblem(keys, newest, catalogueSdl);
    if (problem === null) {
      served.push(newest);
      continue;
    }
    // Only on this path is the history read: the newest rows are normally signed.
    const signed = (await selectSubgraphHistory(db, newest.name)).find(
      (v) => v.version < newest.version && entryProblem(keys, v, catalogueSdl) === null,
    );
    if (signed) served.push(signed);
    problems.push(
      `${problem}: ${signed ? `version ${signed.version} is served instead` : 'the subgraph is not served'}`,
    );
  }
  return { served, problems };
}

/**
 * Records a new version of `name`, numbered after the newest and signed with
 * its subgraph's key from `signer`; returns it. The (name, version) key makes
 * two concurrent publishers unable to both win.
 */
export async function insertSubgraphVersion(
  db: Knex,
  entry: { name: string; url: string; sdl: string; publishedBy: string; note: string; at?: Date },
  signer: RegistrySigner,
): Promise<SubgraphVersion> {
  const key = signer.keyFor(entry.name);
  const newest = await db('subgraph_versions')
    .where({ name: entry.name })
    .max<{ v: number | null }>('version as v')
    .first();
  const facts = {
    name: entry.name,
    version: Number(newest?.v ?? 0) + 1,
    url: entry.url,
    sdlHash: sdlHash(entry.sdl),
  };
  const version: SubgraphVersion = {
    ...facts,
    sdl: entry.sdl,
    publishedBy: entry.publishedBy,
    publishedAt: (entry.at ?? new Date()).toISOString(),
    note: entry.note,
    signature: signEntry(key, facts),
  };
  await db<VersionRow>('subgraph_versions').insert({
    name: version.name,
    version: version.version,
    url: version.url,
    sdl: version.sdl,
    sdl_hash: version.sdlHash,
    published_by: version.publishedBy,
    published_at: version.publishedAt,
    note: version.note,
    signature: version.signature,
  });
  return version;
}
