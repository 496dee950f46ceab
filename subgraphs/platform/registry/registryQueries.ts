import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

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
});

export const sdlHash = (sdl: string) => createHash('sha256').update(sdl).digest('hex');

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

/** A fingerprint of the registry that moves with every publication. */
export async function selectRegistryRevision(db: Knex): Promise<string> {
  const row = await db('subgraph_versions').first<{ n: number | string; at: string | null }>(
    db.raw('count(*) as n'),
    db.raw('max(published_at) as at'),
  );
  return `${row?.n ?? 0}/${row?.at ?? ''}`;
}

/**
 * Records a new version of `name`, numbered after the newest; returns it.
 * The (name, version) key makes two concurrent publishers unable to both win.
 */
export async function insertSubgraphVersion(
  db: Knex,
  entry: { name: string; url: string; sdl: string; publishedBy: string; note: string; at?: Date },
): Promise<SubgraphVersion> {
  const newest = await db('subgraph_versions')
    .where({ name: entry.name })
    .max<{ v: number | null }>('version as v')
    .first();
  const version: SubgraphVersion = {
    name: entry.name,
    version: Number(newest?.v ?? 0) + 1,
    url: entry.url,
    sdl: entry.sdl,
    sdlHash: sdlHash(entry.sdl),
    publishedBy: entry.publishedBy,
    publishedAt: (entry.at ?? new Date()).toISOString(),
    note: entry.note,
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
  });
  return version;
}
