import { generateKeyPairSync, sign, verify, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asKeyObject, signEd25519, verifyEd25519 } from '../../server/identity/ed25519.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const message = Buffer.from(JSON.stringify(['ACCESS', 'public_security', '张三', 42]));

describe('Ed25519 through libsodium', () => {
  it("makes node:crypto's signature, byte for byte, and each verifies the other's", () => {
    const ours = signEd25519(message, privateKey);
    expect(ours.equals(sign(null, message, privateKey))).toBe(true);
    expect(verify(null, message, publicKey, ours)).toBe(true);
    expect(verifyEd25519(message, sign(null, message, privateKey), publicKey)).toBe(true);
  });

  it('refuses an altered message, an altered signature, another key and a signature of the wrong size', () => {
    const signature = signEd25519(message, privateKey);
    const altered = Buffer.from(message);
    altered[3] = altered[3]! ^ 1;
    expect(verifyEd25519(altered, signature, publicKey)).toBe(false);
    for (const at of [0, 31, 32, 63]) {
      const flipped = Buffer.from(signature);
      flipped[at] = flipped[at]! ^ 0x80;
      expect(verifyEd25519(message, flipped, publicKey)).toBe(false);
    }
    expect(verifyEd25519(message, signature, other.publicKey)).toBe(false);
    expect(verifyEd25519(message, signature.subarray(0, 63), publicKey)).toBe(false);
    expect(verifyEd25519(message, Buffer.concat([signature, Buffer.alloc(1)]), publicKey)).toBe(
      false,
    );
    expect(verifyEd25519(message, Buffer.alloc(64), publicKey)).toBe(false);
  });

  it("keeps node:crypto's behaviour for a key that is not Ed25519", () => {
    const ed448 = generateKeyPairSync('ed448');
    const signature = signEd25519(message, ed448.privateKey);
    expect(signature.length).toBe(114);
    expect(verifyEd25519(message, signature, ed448.publicKey)).toBe(true);
    expect(verifyEd25519(message, signature, publicKey)).toBe(false);
  });

  it('takes WebCrypto keys, converting each once', async () => {
    const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    expect(asKeyObject(pair.privateKey)).toBe(asKeyObject(pair.privateKey));
    const signature = signEd25519(message, asKeyObject(pair.privateKey));
    expect(verifyEd25519(message, signature, asKeyObject(pair.publicKey))).toBe(true);
  });
});
