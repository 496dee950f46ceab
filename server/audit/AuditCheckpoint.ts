import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { PlatformKey } from '../identity/PlatformKey.ts';
import { asKeyObject, signEd25519, verifyEd25519 } from '../identity/ed25519.ts';

/**
 * A writer's chain head, signed with the platform (gateway) Ed25519 key and
 * kept outside the audit tables: "writer `writer` had written records 1..`seq`,
 * the last with hash `hash`, at `at`". Someone who can write to the database can
 * rewrite records and recompute every hash, but cannot sign a checkpoint; the
 * records must still fit every checkpoint already signed.
 */
export interface AuditCheckpoint {
  writer: string;
  seq: number;
  hash: string;
  at: string;
  /** Which key signed it: the first 16 hex digits of the SHA-256 of the public key. */
  key: string;
  /** Ed25519 over `checkpointMessage`, base64url. */
  signature: string;
}

/** One line of a checkpoint file that could not be trusted, and why. */
export interface CheckpointDefect {
  file: string;
  line: number;
  writer: string | null;
  seq: number | null;
  problem: string;
}

/** What the audit writers sign with, where they append, and how often. */
export interface CheckpointSigning {
  /** Append-only JSON-lines file (created if missing). */
  file: string;
  privateKey: PlatformKey;
  /** Longest time a committed record waits for a signed checkpoint. */
  intervalMs: number;
  /** Sign as soon as this many records are unsigned, without waiting for the interval. */
  everyRecords: number;
}

/** Where the signed checkpoints are read from and the key that must have signed them. */
export interface CheckpointVerification {
  files: readonly string[];
  publicKey: PlatformKey;
}

const DOMAIN = 'govdata audit checkpoint v1';

/** The exact bytes signed: a fixed prefix (so no other signature of the key can pass as one) and the fields. */
function checkpointMessage(c: Omit<AuditCheckpoint, 'signature' | 'key'>): Buffer {
  return Buffer.from(JSON.stringify([DOMAIN, c.writer, c.seq, c.hash, c.at]), 'utf8');
}

/** The short id of a key pair, from its public half. */
export function checkpointKeyId(key: PlatformKey): string {
  const object = asKeyObject(key);
  const publicKey = object.type === 'private' ? createPublicKey(object) : object;
  const jwk = publicKey.export({ format: 'jwk' });
  return createHash('sha256').update(String(jwk.x)).digest('hex').slice(0, 16);
}

/** Signs a writer's head with the platform's private key. */
export function signCheckpoint(
  head: { writer: string; seq: number; hash: string; at: string },
  privateKey: PlatformKey,
): AuditCheckpoint {
  const key = asKeyObject(privateKey);
  return {
    ...head,
    key: checkpointKeyId(key),
    signature: signEd25519(checkpointMessage(head), key).toString('base64url'),
  };
}

/** Whether `checkpoint` was signed by the private half of `publicKey`, unchanged since. */
export function checkpointIsSigned(checkpoint: AuditCheckpoint, publicKey: PlatformKey): boolean {
  try {
    return verifyEd25519(
      checkpointMessage(checkpoint),
      Buffer.from(checkpoint.signature, 'base64url'),
      asKeyObject(publicKey),
    );
  } catch {
    return false;
  }
}

/**
 * Reads checkpoint files: every line whose signature the public key verifies,
 * and a defect for every other line (unreadable, or not signed by that key:
 * forged or edited). A missing file holds no checkpoints.
 */
export function readAuditCheckpoints(verification: CheckpointVerification): {
  checkpoints: AuditCheckpoint[];
  defects: CheckpointDefect[];
} {
  const checkpoints: AuditCheckpoint[] = [];
  const defects: CheckpointDefect[] = [];
  const keyId = checkpointKeyId(verification.publicKey);
  for (const file of verification.files) {
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (text.trim() === '') return;
      const line = index + 1;
      const parsed = parseCheckpoint(text);
      if (!parsed) {
        defects.push({ file, line, writer: null, seq: null, problem: 'is not a checkpoint' });
      } else if (!checkpointIsSigned(parsed, verification.publicKey)) {
        defects.push({
          file,
          line,
          writer: parsed.writer,
          seq: parsed.seq,
          problem:
            parsed.key === keyId
              ? 'its signature does not verify: the line was edited'
              : `is signed by key ${parsed.key}, not the platform's key ${keyId}: forged (or signed with a retired key)`,
        });
      } else checkpoints.push(parsed);
    });
  }
  return { checkpoints, defects };
}

function parseCheckpoint(text: string): AuditCheckpoint | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const c = value as Partial<AuditCheckpoint> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.writer !== 'string' ||
    !Number.isInteger(c.seq) ||
    typeof c.hash !== 'string' ||
    typeof c.at !== 'string' ||
    typeof c.key !== 'string' ||
    typeof c.signature !== 'string'
  ) {
    return null;
  }
  return {
    writer: c.writer,
    seq: c.seq!,
    hash: c.hash,
    at: c.at,
    key: c.key,
    signature: c.signature,
  };
}
