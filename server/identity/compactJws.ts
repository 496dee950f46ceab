import { asKeyObject, signEd25519, verifyEd25519 } from './ed25519.ts';
import { FetchMac, GatewayTokenKeys } from './FetchMac.ts';
import { PLATFORM_KEY_ALGORITHM, type PlatformKey } from './PlatformKey.ts';

/*
 * Compact JWS (RFC 7515) with one fixed header, signed and verified with
 * Ed25519 directly (`ed25519.ts`). Internal tokens travel with every subgraph
 * fetch, so this is on the hot path: jose's WebCrypto route took 128 µs to sign
 * and 177 µs to verify on the benchmark machine, node:crypto directly 38 and
 * 110, libsodium 15 and 44 for the signature itself. Tokens
 * between linked platforms use the same form. Client tokens, with their many
 * algorithms and key sets, stay with jose.
 *
 * A gateway's fetch to a department's subgraph may instead carry an HMAC-SHA256
 * (`HS256`) under the key the two share (`FetchMac`); it is accepted only where
 * that key is given, so no public key is ever taken for a MAC key.
 */

/** The only header accepted: anything else (another alg, `none`, `jku`, `crit`) is refused unread. */
const HEADER = Buffer.from(JSON.stringify({ alg: PLATFORM_KEY_ALGORITHM })).toString('base64url');
const SIGNATURE_BYTES = 64;
/** The header of a token authenticated with a fetch's MAC key. */
const MAC_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');

/** `payload` as a compact JWS signed with the Ed25519 `key`, or authenticated with a fetch's MAC key. */
export function signCompactJws(payload: object, key: PlatformKey | FetchMac): string {
  const claims = Buffer.from(JSON.stringify(payload)).toString('base64url');
  if (key instanceof FetchMac) {
    const input = `${MAC_HEADER}.${claims}`;
    return `${input}.${key.of(input).toString('base64url')}`;
  }
  const input = `${HEADER}.${claims}`;
  return `${input}.${signEd25519(Buffer.from(input), asKeyObject(key)).toString('base64url')}`;
}

/**
 * The payload of a compact JWS, unverified: only to find which key to verify
 * it with. Throws when it is not a token of this form.
 */
export function peekCompactJws(token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) throw new Error('not a compact JWS of ours');
  return claimsOf(parts[1]!);
}

function claimsOf(encoded: string): Record<string, unknown> {
  const payload: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new Error('claims are not an object');
  }
  return payload as Record<string, unknown>;
}

/** Whether `token`'s signature verifies with any of `keys`. */
export function compactJwsVerifies(token: string, keys: readonly PlatformKey[]): boolean {
  return signatureVerifies(token.split('.'), keys);
}

/** Whether a token split at its dots is of our signed form and verifies with any of `keys`. */
function signatureVerifies(parts: readonly string[], keys: readonly PlatformKey[]): boolean {
  if (parts.length !== 3 || parts[0] !== HEADER) return false;
  const signature = Buffer.from(parts[2]!, 'base64url');
  if (signature.length !== SIGNATURE_BYTES) return false;
  const input = Buffer.from(`${parts[0]}.${parts[1]}`);
  return keys.some((key) => verifyEd25519(input, signature, asKeyObject(key)));
}

/** Whether `token` is one authenticated with a MAC (`FetchMac`) rather than signed. */
export function isMacToken(token: string): boolean {
  return token.startsWith(`${MAC_HEADER}.`);
}

/**
 * The payload of `token` once its signature verifies with `key` — or, given
 * the gateway's token keys, once its signature verifies with the gateway's key
 * or its MAC with the fetch key shared with the gateway; throws otherwise.
 */
export function openCompactJws(
  token: string,
  key: PlatformKey | GatewayTokenKeys,
): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length === 3 && parts[0] === MAC_HEADER) {
    const mac = key instanceof GatewayTokenKeys ? key.fetchMac : null;
    if (!mac?.verifies(`${parts[0]}.${parts[1]}`, Buffer.from(parts[2]!, 'base64url'))) {
      throw new Error('MAC does not verify');
    }
    return claimsOf(parts[1]!);
  }
  const signer = key instanceof GatewayTokenKeys ? key.gateway : key;
  if (!signatureVerifies(parts, [signer])) throw new Error('signature does not verify');
  return claimsOf(parts[1]!);
}
