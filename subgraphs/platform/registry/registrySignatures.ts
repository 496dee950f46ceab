import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { DepartmentVerifyKeys } from '../../../server/index.ts';
import { catalogueReachProblem, type CatalogueSdl } from './catalogueReach.ts';
import { departmentReachProblem } from './departmentReach.ts';

/**
 * Who vouches for what the gateways compose.
 *
 * Every host that serves or publishes a subgraph holds the platform
 * database's credential: it reads the catalogue and grants there and appends
 * its audit records. So the registry's rows and the stored compositions cannot
 * be trusted for being in the database. A registry entry (name, version, URL
 * and SDL hash) is signed with its subgraph's key — a department's subgraph
 * with that department's audit key, the platform's own subgraphs with the
 * platform's key — and gateways compose only entries whose signature they
 * check with the public half from their own key folder, never from the
 * database. A host with the database credential can write rows for another
 * department's subgraph, but not sign them: its rows are not served, and the
 * gateway says so on /ready and in its log.
 */

/**
 * The key name the platform's own subgraphs are signed with
 * (`platform_registry.jwk.json`): not `platform`, the platform subgraph's own
 * name, under which a gateway would look for a department's audit key to
 * authenticate its fetches with (`FetchMac`).
 */
export const PLATFORM_SIGNER = 'platform_registry';

/** The platform's own subgraphs (`PLATFORM_SUBGRAPH`, `CROSS_LEVEL_SUBGRAPH`). */
const PLATFORM_SUBGRAPHS: ReadonlySet<string> = new Set(['platform', 'crosslevel']);

/** The SHA-256 of a subgraph's SDL, as entries carry and sign it. */
export const sdlHash = (sdl: string) => createHash('sha256').update(sdl).digest('hex');

/** The key that signs `subgraph`'s registry entries: its department's, or the platform's. */
export const signerOf = (subgraph: string): string =>
  PLATFORM_SUBGRAPHS.has(subgraph) ? PLATFORM_SIGNER : subgraph;

/** What an entry's signature covers. */
export interface EntryFacts {
  name: string;
  version: number;
  url: string;
  sdlHash: string;
}

const entryMessage = (e: EntryFacts): Buffer =>
  Buffer.from(JSON.stringify(['govdata registry entry 1', e.name, e.version, e.url, e.sdlHash]));

export const signEntry = (privateKey: KeyObject, entry: EntryFacts): string =>
  sign(null, entryMessage(entry), privateKey).toString('base64url');

export function entrySignedBy(
  publicKey: KeyObject,
  entry: EntryFacts & { signature: string | null },
): boolean {
  if (!entry.signature) return false;
  return verify(null, entryMessage(entry), publicKey, Buffer.from(entry.signature, 'base64url'));
}

/**
 * Why `entry` is not to be served, or null: it is unsigned, its SDL is not
 * the one signed, its signer's key is not provisioned here, the signature does
 * not fit, or a department's subgraph reaches beyond its own fields
 * (`departmentReachProblem`) or declares more than its department's published
 * catalogue entries generate (`catalogueReachProblem`).
 */
export function entryProblem(
  keys: DepartmentVerifyKeys,
  /** `sdl` as stored: it must be the SDL signed, and a department's must reach no further than its own. */
  entry: EntryFacts & { signature: string | null; sdl: string },
  catalogueSdl: CatalogueSdl,
): string | null {
  const signer = signerOf(entry.name);
  const what = `subgraph ${entry.name} version ${entry.version}`;
  if (!entry.signature) return `${what} is not signed`;
  if (sdlHash(entry.sdl) !== entry.sdlHash) {
    return `${what}: its SDL is not the one signed (changed in the database since)`;
  }
  let key: KeyObject;
  try {
    key = keys.departmentKey(signer);
  } catch {
    return `${what}: no registry key of ${signer} is provisioned here (${signer}.jwk.json in DEPARTMENT_VERIFY_KEYS_DIR)`;
  }
  if (!entrySignedBy(key, entry)) return `${what} is not signed with ${signer}'s key`;
  if (signer !== PLATFORM_SIGNER) {
    const reach = departmentReachProblem(entry.sdl);
    if (reach) return `${what}: ${reach}`;
    const allowed = catalogueSdl(signer);
    if (allowed === undefined) {
      return `${what}: ${signer} is no department of the published catalogue`;
    }
    const beyond = catalogueReachProblem(entry.sdl, allowed);
    if (beyond) return `${what}: ${beyond}`;
  }
  return null;
}

/**
 * The private keys a process publishes subgraphs with, by signer: a
 * department host holds its own department's, the platform's subgraph host
 * the platform's, `npm start` every one.
 */
export class RegistrySigner {
  private readonly keys: ReadonlyMap<string, KeyObject>;

  constructor(keys: Record<string, KeyObject>) {
    this.keys = new Map(Object.entries(keys));
  }

  /** The private key for `subgraph`'s entries; throws, naming what to provision, without one. */
  keyFor(subgraph: string): KeyObject {
    const signer = signerOf(subgraph);
    const key = this.keys.get(signer);
    if (!key) {
      throw new Error(
        `cannot publish subgraph ${subgraph}: it is signed with ${signer}'s key, and this process ` +
          `holds no ${signer}.jwk.json in DEPARTMENT_SIGNING_KEYS_DIR`,
      );
    }
    return key;
  }

  /** Whether `entry` carries this process's own signature for its subgraph. */
  signed(entry: EntryFacts & { signature: string | null }): boolean {
    const key = this.keys.get(signerOf(entry.name));
    return key !== undefined && entrySignedBy(createPublicKey(key), entry);
  }
}

/**
 * Which stored compositions a process reuses, and whether it stores its own:
 * a composition is used only when signed by one of `trusted` (the gateway's
 * key, the platform's), and stored only by a process holding `signing`. A
 * department host cannot vouch for a composition (it could route other
 * departments' fields to itself), so it composes and stores nothing.
 */
export interface CompositionKeys {
  trusted: readonly KeyObject[];
  signing?: KeyObject | undefined;
}

const compositionMessage = (key: string, supergraphSdl: string): Buffer =>
  createHash('sha256').update(`govdata composition 1\n${key}\n`).update(supergraphSdl).digest();

export const signComposition = (privateKey: KeyObject, key: string, supergraphSdl: string) =>
  sign(null, compositionMessage(key, supergraphSdl), privateKey).toString('base64url');

export function compositionTrusted(
  keys: CompositionKeys,
  key: string,
  supergraphSdl: string,
  signature: string | null,
): boolean {
  if (!signature) return false;
  const message = compositionMessage(key, supergraphSdl);
  const bytes = Buffer.from(signature, 'base64url');
  return keys.trusted.some((publicKey) => verify(null, message, publicKey, bytes));
}
