import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createFileOnce } from './createFileOnce.ts';

/**
 * The subgraphs' shared 256-bit key for join handles and list cursors: 32
 * random bytes, base64url, made on first use and kept with the other keys. Every
 * subgraph host of one platform must hold the same key (handles sealed by one
 * department's subgraph are opened by another's); the gateway never holds it.
 */
export function loadOrCreateJoinKey(file: string): Buffer {
  createFileOnce(file, randomBytes(32).toString('base64url'), 0o600);
  return loadJoinKey(file);
}

/**
 * Reads the join key, never making one: a subgraph served on a host of its own
 * (`govdata serve`) must hold the platform's key, or the handles it seals
 * would open nowhere else.
 */
export function loadJoinKey(file: string): Buffer {
  if (!existsSync(file)) {
    throw new Error(
      `No join key at ${file}: copy the platform's (DATA_DIR/keys/join-handles.key) to this host ` +
        'and point JOIN_KEY_FILE at it.',
    );
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  if (key.length !== 32) {
    throw new Error(
      `${file} does not hold a join key (32 bytes, base64url); remove it to make a new one`,
    );
  }
  return key;
}
