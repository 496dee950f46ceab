import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair } from 'jose';
import { createFileOnce } from './createFileOnce.ts';
import { PLATFORM_KEY_ALGORITHM, type PlatformKey } from './PlatformKey.ts';

/**
 * Reads the gateway's Ed25519 key pair from two JWK files, creating both on
 * first use (development: `npm start` needs no setup). Production sets the paths
 * to files provisioned by operations; subgraph hosts get only the public file.
 */
export async function loadOrCreateSigningKeys(
  privateFile: string,
  publicFile: string,
): Promise<{ privateKey: PlatformKey; publicKey: PlatformKey }> {
  if (!existsSync(privateFile)) {
    const pair = await generateKeyPair(PLATFORM_KEY_ALGORITHM, {
      crv: 'Ed25519',
      extractable: true,
    });
    createFileOnce(privateFile, JSON.stringify(await exportJWK(pair.privateKey)), 0o600);
  }
  // The public half is made from the private key that won, whoever made it.
  const privateKey = await readJwk(privateFile);
  createFileOnce(
    publicFile,
    JSON.stringify(createPublicKey(privateKey).export({ format: 'jwk' })),
    0o644,
  );
  return { privateKey, publicKey: await readJwk(publicFile) };
}

/**
 * Reads the gateway's private key, never creating one: a gateway replica that
 * made its own key would sign tokens no subgraph accepts.
 */
export async function loadSigningKey(privateFile: string): Promise<PlatformKey> {
  if (!existsSync(privateFile)) {
    throw new Error(
      `No gateway signing key at ${privateFile}: start the platform once (npm start) or provision GATEWAY_PRIVATE_KEY_FILE.`,
    );
  }
  return readJwk(privateFile);
}

/** Reads the gateway's public key (what a subgraph needs to verify the gateway). */
export async function loadVerifyKey(publicFile: string): Promise<PlatformKey> {
  if (!existsSync(publicFile)) {
    throw new Error(
      `No gateway public key at ${publicFile}: copy the platform's gateway-verify.jwk.json ` +
        '(made in DATA_DIR/keys when the platform first starts, npm start) there, or point ' +
        'GATEWAY_PUBLIC_KEY_FILE at it.',
    );
  }
  return readJwk(publicFile);
}

/** A JWK file as a node:crypto key (what internal tokens are signed and verified with). */
async function readJwk(file: string): Promise<KeyObject> {
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JsonWebKey;
  return jwk.d === undefined
    ? createPublicKey({ key: jwk, format: 'jwk' })
    : createPrivateKey({ key: jwk, format: 'jwk' });
}
