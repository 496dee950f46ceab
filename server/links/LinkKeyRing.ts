import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * This platform's key for signing requests to linked platforms: `current.jwk`
 * signs; `next.jwk`, once prepared, is what the peers' administrators register
 * beside the current one before `activate` swaps it in, so a rotation never
 * interrupts a link. Its own key, apart from the gateway's: rotating it does
 * not touch the subgraphs, and peers never learn the gateway's.
 */
export class LinkKeyRing {
  private current: KeyObject;

  private constructor(private readonly dir: string) {
    this.current = readPrivate(join(dir, 'current.jwk'));
  }

  /** Opens the ring in `dir`, making a first key there if it has none. */
  static open(dir: string): LinkKeyRing {
    const file = join(dir, 'current.jwk');
    if (!existsSync(file)) writeNewKey(dir, 'current.jwk');
    return new LinkKeyRing(dir);
  }

  /** The key requests are signed with now. */
  get signingKey(): KeyObject {
    return this.current;
  }

  /** The public key peers register for this platform (JWK `x`). */
  get publicKey(): string {
    return publicX(this.current);
  }

  /** The prepared next key's public part, or null. */
  get nextPublicKey(): string | null {
    const file = join(this.dir, 'next.jwk');
    return existsSync(file) ? publicX(readPrivate(file)) : null;
  }

  /** Makes the next key (replacing a prepared one); returns its public part for the peers. */
  prepare(): string {
    writeNewKey(this.dir, 'next.jwk');
    return this.nextPublicKey!;
  }

  /** Signs with the prepared key from now on; throws when none is prepared. */
  activate(): string {
    const next = join(this.dir, 'next.jwk');
    if (!existsSync(next)) throw new Error('no next key is prepared');
    renameSync(next, join(this.dir, 'current.jwk'));
    this.current = readPrivate(join(this.dir, 'current.jwk'));
    return this.publicKey;
  }
}

function writeNewKey(dir: string, name: string): void {
  mkdirSync(dir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(join(dir, name), JSON.stringify(privateKey.export({ format: 'jwk' })), {
    mode: 0o600,
  });
}

function readPrivate(file: string): KeyObject {
  return createPrivateKey({
    key: JSON.parse(readFileSync(file, 'utf8')) as JsonWebKey,
    format: 'jwk',
  });
}

function publicX(key: KeyObject): string {
  return createPublicKey(key).export({ format: 'jwk' }).x!;
}
