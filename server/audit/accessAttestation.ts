import type { KeyObject } from 'node:crypto';
import { signEd25519, verifyEd25519 } from '../identity/ed25519.ts';
import type { AuditEntry } from './AuditEntry.ts';

/**
 * A department subgraph's signature over one ACCESS record it produced, stored
 * with the record (`attestation`): `v1.<nonce>.<signature>`, where `nonce` is
 * the hand-back nonce of the fetch the record was handed back for (empty when
 * the subgraph committed the record itself) and `signature` is Ed25519 over
 * `accessRecordMessage`, base64url. Neither part contains a dot.
 *
 * The gateway commits handed-back records and holds no department key, so it
 * can drop a record (the fetch then fails) but cannot write or alter one that
 * verifies; the nonce binds a handed-back record to the one fetch that asked
 * for it, so it cannot be replayed into another fetch of the same request
 * (another request already fails on the signed request id).
 */
export type Attestation = string;

const VERSION = 'v1';
const DOMAIN = 'govdata access record v1';
const NONCE = /^[A-Za-z0-9_-]{0,64}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;
/**
 * `String.prototype.isWellFormed` (Node 20; typed from ES2024): false for text
 * with half a UTF-16 pair, which is not Unicode and is stored as U+FFFD, so it
 * would never read back as signed. A quarter of the cost of a Unicode regex,
 * for every text field of every record signed or checked.
 */
type MaybeWellFormed = string & { isWellFormed(): boolean };

/**
 * The exact bytes a department signs: a fixed prefix (no other signature of
 * the key can pass as one), the nonce, and every field the audit table stores
 * for the record, in a fixed order, as one JSON array. JSON keeps the types
 * apart ("1" is not 1, null is not "" or "null"), and the order is the array's,
 * not the object's. Absent optional fields (trace id, manifest) are null, as
 * the table stores them: a record reads back exactly as it was signed.
 * Throws on a value the table could not give back unchanged — a count that
 * is not a whole number, text that is not well-formed Unicode — rather than
 * sign what could never verify.
 */
export function accessRecordMessage(entry: AuditEntry, nonce: string): Buffer {
  if (entry.kind !== 'ACCESS') throw new Error('only ACCESS records are attested');
  if (!NONCE.test(nonce)) throw new Error('a hand-back nonce is base64url, at most 64 characters');
  const fields = [
    DOMAIN,
    nonce,
    text(entry.at),
    text(entry.kind),
    text(entry.requestId),
    optionalText(entry.correlationId),
    optionalText(entry.traceId ?? null),
    optionalText(entry.subgraph),
    optionalText(entry.consumerDepartment),
    optionalText(entry.consumerApplication),
    optionalText(entry.userId),
    optionalText(entry.purpose),
    optionalText(entry.grantId),
    optionalText(entry.datasetCode),
    optionalText(entry.providerDepartment),
    names(entry.itemsReturned),
    names(entry.itemsMasked),
    names(entry.itemsDenied),
    whole(entry.recordCount),
    whole(entry.verifications),
    names(entry.verifiedItems),
    whole(entry.verificationsMatched),
    text(entry.decision),
    optionalText(entry.reason),
    optionalText(entry.operationName),
    optionalText(entry.operationHash),
    whole(entry.latencyMs),
    optionalText(entry.manifest ?? null),
  ];
  return Buffer.from(JSON.stringify(fields), 'utf8');
}

/** Signs `entry` with the department's private key, for the fetch of `nonce` ('' when committed by the subgraph). */
export function attestAccess(entry: AuditEntry, privateKey: KeyObject, nonce = ''): Attestation {
  const signature = signEd25519(accessRecordMessage(entry, nonce), privateKey);
  return `${VERSION}.${nonce}.${signature.toString('base64url')}`;
}

/**
 * Why `attestation` does not attest `entry` under `publicKey`, or null when it
 * does. With `nonce`, the attestation must also be for that fetch's nonce (the
 * gateway checks a handed-back record so); without, any nonce it names.
 */
export function attestationProblem(
  entry: AuditEntry,
  attestation: string | null | undefined,
  publicKey: KeyObject,
  nonce?: string,
): string | null {
  if (attestation === null || attestation === undefined || attestation === '') {
    return 'it has no attestation';
  }
  const parts = attestation.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !NONCE.test(parts[1]!)) {
    return 'its attestation is not of the form v1.<nonce>.<signature>';
  }
  const [, signedNonce, signature] = parts as [string, string, string];
  if (nonce !== undefined && signedNonce !== nonce) {
    return 'its attestation was made for another fetch (another hand-back nonce)';
  }
  if (!SIGNATURE.test(signature)) return 'its attestation signature is not 64 bytes of base64url';
  let message: Buffer;
  try {
    message = accessRecordMessage(entry, signedNonce);
  } catch (error) {
    return `its fields cannot be attested: ${(error as Error).message}`;
  }
  return verifyEd25519(message, Buffer.from(signature, 'base64url'), publicKey)
    ? null
    : "its attestation is not the department's signature of its fields (altered, or signed with another key)";
}

function text(value: unknown): string {
  if (typeof value === 'string' && (value as MaybeWellFormed).isWellFormed()) return value;
  throw new Error(`expected well-formed text, got ${typeof value}`);
}

function optionalText(value: unknown): string | null {
  return value === null ? null : text(value);
}

function names(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(text);
  throw new Error(`expected a list of names, got ${typeof value}`);
}

function whole(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new Error(
    `expected a whole number, got ${typeof value === 'number' ? value : typeof value}`,
  );
}
