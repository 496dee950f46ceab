import { createHash, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Knex } from 'knex';
import { composeSupergraphAsync, type SubgraphDefinition } from '../../../schema/index.ts';
import type { DepartmentVerifyKeys } from '../../../server/index.ts';
import type { CatalogueSdl } from './catalogueReach.ts';
import { sdlHash, selectServedSubgraphs } from './registryQueries.ts';
import { compositionTrusted, signComposition, type CompositionKeys } from './registrySignatures.ts';

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
 * The store is in the platform database, which every subgraph host can write,
 * so a stored supergraph is reused only when signed with a key of
 * `compositions.trusted`, and one is stored only by a process holding
 * `compositions.signing` (see `CompositionKeys`); without `compositions`,
 * nothing is read or stored.
 * `onMerged` hears the merged supergraph of a set composed here, before its
 * satisfiability is checked (`composeSupergraph`); not called for one read back.
 */
export async function composeShared(
  db: Knex,
  subgraphs: readonly SubgraphDefinition[],
  options: ComposeOptions = {},
): Promise<string> {
  const { compositions, onStoreProblem = () => {}, onMerged } = options;
  const ordered = inNameOrder(subgraphs);
  const key = keyOfOrdered(ordered);
  const unusable = (what: string) => (error: unknown) => {
    onStoreProblem(`the composed supergraph could not be ${what}: ${String(error)}`);
    return undefined;
  };
  const stored = compositions
    ? await readComposition(db, key, compositions).catch(unusable('read'))
    : undefined;
  if (stored !== undefined) return stored;
  const supergraphSdl = await composeSupergraphAsync(ordered, onMerged);
  if (compositions?.signing) {
    await storeComposition(db, key, supergraphSdl, compositions.signing).catch(unusable('stored'));
  }
  return supergraphSdl;
}

export interface ComposeOptions {
  /** Which stored compositions are reused, and whether this one is stored (`CompositionKeys`). */
  compositions?: CompositionKeys | undefined;
  onStoreProblem?: ((problem: string) => void) | undefined;
  onMerged?: ((supergraphSdl: string) => void) | undefined;
}

/**
 * What a gateway trusts: registry entries by their subgraph's key, as far as
 * their department's published catalogue entries reach (`catalogueSdl`, read
 * again at each composition), and compositions by `compositions`.
 */
export interface RegistryTrust {
  entries: DepartmentVerifyKeys;
  catalogueSdl: (db: Knex) => Promise<CatalogueSdl>;
  compositions: CompositionKeys;
}

/**
 * The supergraph of the subgraph versions gateways serve (`servedSubgraphs`),
 * composed once (`composeShared`), with the version served of each subgraph;
 * `problems` names each newer version passed over for want of its subgraph's
 * signature.
 */
export async function composeInForce(
  db: Knex,
  trust: RegistryTrust,
  onStoreProblem?: (problem: string) => void,
): Promise<{
  supergraphSdl: string;
  problems: string[];
  versions: ReadonlyMap<string, number>;
}> {
  const { subgraphs, problems, versions } = await servedSubgraphs(db, trust);
  const supergraphSdl = await composeShared(db, subgraphs, {
    compositions: trust.compositions,
    onStoreProblem,
  });
  return { supergraphSdl, problems, versions };
}

/** The subgraph versions gateways serve (`selectServedSubgraphs`), as composition takes them. */
export async function servedSubgraphs(
  db: Knex,
  trust: Pick<RegistryTrust, 'entries' | 'catalogueSdl'>,
): Promise<{
  subgraphs: SubgraphDefinition[];
  problems: string[];
  /** The version served of each subgraph. */
  versions: ReadonlyMap<string, number>;
}> {
  const { served, problems } = await selectServedSubgraphs(
    db,
    trust.entries,
    await trust.catalogueSdl(db),
  );
  return {
    subgraphs: served.map((s) => ({ name: s.name, url: s.url, typeDefs: s.sdl })),
    problems,
    versions: new Map(served.map((s) => [s.name, s.version])),
  };
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

/** The supergraph stored under `key` with a trusted signature, or undefined if none is. */
export async function readComposition(
  db: Knex,
  key: string,
  keys: CompositionKeys,
): Promise<string | undefined> {
  const row = await db('supergraph_compositions')
    .where({ inputs_hash: key })
    .first<{ supergraph_gzip: Buffer; signature: string | null } | undefined>(
      'supergraph_gzip',
      'signature',
    );
  if (!row) return undefined;
  const supergraphSdl = (await gunzipAsync(row.supergraph_gzip)).toString('utf8');
  return compositionTrusted(keys, key, supergraphSdl, row.signature) ? supergraphSdl : undefined;
}

/**
 * Stores `supergraphSdl` under `key`, compressed and signed, in place of
 * whatever is there (a row that is not trusted must not keep a trusted one
 * out), and forgets all but the newest compositions.
 */
export async function storeComposition(
  db: Knex,
  key: string,
  supergraphSdl: string,
  signingKey: KeyObject,
): Promise<void> {
  await db('supergraph_compositions')
    .insert({
      inputs_hash: key,
      supergraph_gzip: await gzipAsync(supergraphSdl),
      composed_at: new Date().toISOString(),
      signature: signComposition(signingKey, key, supergraphSdl),
    })
    .onConflict('inputs_hash')
    .merge();
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
