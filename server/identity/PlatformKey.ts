import type { KeyObject } from 'node:crypto';
import type { CryptoKey } from 'jose';

/** A key of the platform's signing pair, as loaded (`keys.ts`) and used to sign or verify. */
export type PlatformKey = CryptoKey | KeyObject;

/**
 * The algorithm of the platform's key pair and of every internal token signed
 * with it: asymmetric, so subgraphs can verify but never sign.
 */
export const PLATFORM_KEY_ALGORITHM = 'EdDSA';
