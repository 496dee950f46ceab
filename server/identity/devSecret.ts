import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TokenVerification } from '../config/index.ts';

/**
 * The HS256 secret of development tokens: JWT_SECRET if set, else a random one
 * kept in the data folder, made on first use, so `npm start` and `npm run token`
 * agree without any setup.
 */
export function loadDevSecret(tokens: Extract<TokenVerification, { kind: 'secret' }>): Uint8Array {
  if (tokens.secret) return new TextEncoder().encode(tokens.secret);
  if (!existsSync(tokens.secretFile)) {
    mkdirSync(dirname(tokens.secretFile), { recursive: true });
    writeFileSync(tokens.secretFile, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return new TextEncoder().encode(readFileSync(tokens.secretFile, 'utf8').trim());
}
