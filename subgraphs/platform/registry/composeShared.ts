import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Knex } from 'knex';
import { composeSupergraphAsync, type SubgraphDefinition } from '../../../schema/index.ts';
import { sdlHash, selectCurrentSubgraphs } from './registryQueries.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The newest compositions kept; older ones are deleted as new ones are stored. */
const KEPT_COMPOSITIONS = 20;

/**
 * The composition library's version is part of every key: a supergraph
 * composed by another version is composed again, never reused.
 */
const COMPOSITION_VERSION = (
  createRequire(import.meta.url)('@apollo/composition/package.json') as { version: string }
).version;

/**
 * The supergraph of `subgraphs`, composed once for the whole platform.
 *
 * Composition grows with the catalogue (about 7–8 ms of CPU per catalogue entry,
 * minutes at a province's size), and the same set of subgraph versions used to
 * be composed by each in turn: the publication check, then every gateway worker
 * and replica when the registry moved, and every one of them again at start.
 * Now the first to compose a set stores the supergraph in the platform database
 * (`supergraph_compositions`), under a hash of what it was composed from — each
 * subgraph's name, URL and SDL, and the composition library's version — and
 * the others read it. The subgraphs are composed in name order, so the same
 * set gives the same supergraph whoever composes it.
 *
 * A supergraph that cannot be read or stored is composed here and now, as
 * before: the store saves work, it is never needed for an answer, and
 * `onStoreProblem` hears why it could not be used. Sets that do not compose are
 * not stored (the error is thrown, as `composeSupergraph`'s). Supergraphs are
 * stored gzip-compressed: a province's is tens of megabytes of SDL, more than
 * one MariaDB statement carries by default, and compresses about twentyfold.
 * What the store holds is trusted as the registry itself is: both live in the
 * platform database, and whoever can write one can write the other.
 * `onMerged` hears the merged supergraph of a set composed here, before its
 * satisfiability is checked (`composeSupergraph`); not called for one read back.
 */
export async function composeShared(
  db: Knex,
  subgraphs: readonly SubgraphDefinition[],
  onStoreProblem: (problem: string) => void = () => {},
  onMerged?: (supergraphSdl: string) => void,
): Promise<string> {
  const ordered = inNameOrder(subgraphs);
  const key = keyOfOrdered(ordered);
  const unusable = (what: string) => (error: unknown) => {
    onStoreProblem(`the composed supergraph could not be ${what}: ${String(error)}`);
    return undefined;
  };
  const stored = await readComposition(db, key).catch(unusable('read'));
  if (stored !== undefined) return stored;
  const supergraphSdl = await composeSupergraphAsync(ordered, onMerged);
  await storeComposition(db, key, supergraphSdl).catch(unusable('stored'));
  return supergraphSdl;
}

/** The supergraph of the subgraph versions in force in the registry, composed once (`composeShared`). */
export async function composeInForce(
  db: Knex,
  onStoreProblem?: (problem: string) => void,
): Promise<string> {
  return composeShared(db, await subgraphsInForce(db), onStoreProblem);
}

/** The subgraph versions in force in the registry, as composition takes them. */
export async function subgraphsInForce(db: Knex): Promise<SubgraphDefinition[]> {
  const current = await selectCurrentSubgraphs(db);
  return current.map((s) => ({ name: s.name, url: s.url, typeDefs: s.sdl }));
}

/** What the composition of `subgraphs`, given in any order, is stored under (`composeShared`). */
export function compositionKey(subgraphs: readonly SubgraphDefinition[]): string {
  return keyOfOrdered(inNameOrder(subgraphs));
}

/** The order a set is composed and keyed in, so that the same set gives the same supergraph. */
function inNameOrder(subgraphs: readonly SubgraphDefinition[]): SubgraphDefinition[] {
  return [...subgraphs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The library's version and every input, in order. */
function keyOfOrdered(ordered: readonly SubgraphDefinition[]): string {
  const hash = createHash('sha256').update(`@apollo/composition ${COMPOSITION_VERSION}\n`);
  for (const s of ordered) hash.update(`${JSON.stringify([s.name, s.url, sdlHash(s.typeDefs)])}\n`);
  return hash.digest('hex');
}

/** The supergraph stored under `key`, or undefined if none is. */
export async function readComposition(db: Knex, key: string): Promise<string | undefined> {
  const row = await db('supergraph_compositions')
    .where({ inputs_hash: key })
    .first<{ supergraph_gzip: Buffer } | undefined>('supergraph_gzip');
  return row && (await gunzipAsync(row.supergraph_gzip)).toString('utf8');
}

/** Stores `supergraphSdl` under `key`, compressed, and forgets all but the newest compositions. */
export async function storeComposition(
  db: Knex,
  key: string,
  supergraphSdl: string,
): Promise<void> {
  await db('supergraph_compositions')
    .insert({
      inputs_hash: key,
      supergraph_gzip: await gzipAsync(supergraphSdl),
      composed_at: new Date().toISOString(),
    })
    .onConflict('inputs_hash')
    .ignore();
  const older = await db('supergraph_compositions')
    .select('inputs_hash')
    .orderBy('composed_at', 'desc')
    .offset(KEPT_COMPOSITIONS);
  if (older.length > 0) {
    await db('supergraph_compositions')
      .whereIn(
        'inputs_hash',
        older.map((r: { inputs_hash: string }) => r.inputs_hash),
      )
      .delete();
  }
}
