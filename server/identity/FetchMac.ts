import { timingSafeEqual, type KeyObject } from 'node:crypto';
import sodium from 'sodium-native';
import { asKeyObject, rawEd25519Key } from './ed25519.ts';
import type { PlatformKey } from './PlatformKey.ts';
import { HmacSha256 } from './HmacSha256.ts';
import { AeadKey } from './AeadKey.ts';

/** What the shared secret is hashed with, so that the key serves this one purpose. */
const LABEL = Buffer.from('govdata fetch token v1');
const MAC_BYTES = 32;
/**
 * What the answer key is the MAC of: with spaces, so no token's signing input
 * (base64url and dots) is ever this text.
 */
const ANSWER_KEY_LABEL = 'govdata hand-back answer key v1';

/** The content type of an answer sealed for the gateway (`FetchMac.sealAnswer`). */
export const SEALED_ANSWER_TYPE = 'application/vnd.govdata.sealed-answer';

/**
 * The key that authenticates the gateway's fetches to one department's
 * subgraph with a MAC (HMAC-SHA256) instead of an Ed25519 signature: 3–4 µs
 * to make and to check, against 15 to sign and 44 to verify, once per fetch on
 * each side (`npm run bench -- --suite fetch` shows what it saves a subgraph).
 *
 * Nothing new is distributed: each side already holds its own Ed25519 key and
 * the other's public half (the gateway the department's audit verify key, the
 * department's host the gateway's verify key), and the key is their X25519
 * agreement (the Ed25519 keys in their Montgomery form, as libsodium converts
 * them), hashed with both public keys. So only that gateway and that
 * department hold it: a department's host can make tokens for itself alone,
 * which opens nothing it does not already hold, and a token made for one
 * department fails at every other. Signatures stay where a third party must
 * check them (ACCESS attestations, audit checkpoints, link tokens).
 */
export class FetchMac {
  private readonly hmac: HmacSha256;
  /** The key answers are sealed with: the MAC of a label, so no MAC of a token is ever it. */
  private readonly answerKey: AeadKey;

  private constructor(key: Buffer) {
    this.hmac = new HmacSha256(key);
    this.answerKey = new AeadKey(this.hmac.of(ANSWER_KEY_LABEL));
  }

  /**
   * The MAC key `own` (an Ed25519 private key) shares with the holder of
   * `peer`'s private half, the same on both sides; null when either key is not
   * Ed25519 (tokens are then signed, as before). Derived once per pair.
   */
  static between(own: KeyObject, peer: KeyObject): FetchMac | null {
    let derived = known.get(own)?.get(peer);
    if (derived === undefined) {
      derived = FetchMac.derive(own, peer);
      let ofOwn = known.get(own);
      if (!ofOwn) known.set(own, (ofOwn = new WeakMap()));
      ofOwn.set(peer, derived);
    }
    return derived;
  }

  /** The MAC of `input` (HMAC-SHA256; see `HmacSha256` for why not node:crypto's). */
  of(input: string): Buffer {
    return this.hmac.of(input);
  }

  /** Whether `mac` is this key's MAC of `input` (compared in constant time). */
  verifies(input: string, mac: Buffer): boolean {
    return mac.length === MAC_BYTES && timingSafeEqual(mac, this.of(input));
  }

  /**
   * `answer` sealed for the gateway that sent the fetch whose hand-back nonce
   * is `handBackNonce` (XChaCha20-Poly1305 under a key only that gateway and
   * this department hold, a fresh random nonce first, the hand-back nonce
   * bound in). A subgraph hands a fetch's ACCESS records back, rather than
   * committing them, only once per token in each process: a captured fetch
   * replayed to another replica of the subgraph would be handed back too,
   * and to whoever replayed it, never committed. Sealed, such an answer is of
   * use to the gateway alone, which commits its records before it answers.
   */
  sealAnswer(handBackNonce: string, answer: string): Buffer {
    return this.answerKey.seal(Buffer.from(answer, 'utf8'), Buffer.from(handBackNonce, 'utf8'));
  }

  /**
   * The answer `sealed` holds, sealed for the fetch of `handBackNonce`; throws
   * when it was sealed under another key or for another fetch, or altered.
   */
  openAnswer(handBackNonce: string, sealed: Buffer): string {
    const answer = this.answerKey.open(sealed, Buffer.from(handBackNonce, 'utf8'));
    if (!answer) throw new Error('the answer was not sealed for this fetch under this key');
    return answer.toString('utf8');
  }

  private static derive(own: KeyObject, peer: KeyObject): FetchMac | null {
    if (own.type !== 'private' || peer.type !== 'public') return null;
    const secret = rawEd25519Key(own);
    const peerPublic = rawEd25519Key(peer);
    if (!secret || !peerPublic) return null;
    const ownMontgomery = sodium.sodium_malloc(sodium.crypto_scalarmult_SCALARBYTES);
    const peerMontgomery = Buffer.alloc(sodium.crypto_scalarmult_BYTES);
    const shared = sodium.sodium_malloc(sodium.crypto_scalarmult_BYTES);
    sodium.crypto_sign_ed25519_sk_to_curve25519(ownMontgomery, secret);
    // Throws for a public key that is not a point of the curve's main group.
    sodium.crypto_sign_ed25519_pk_to_curve25519(peerMontgomery, peerPublic);
    sodium.crypto_scalarmult(shared, ownMontgomery, peerMontgomery);
    // Both public keys in one order, whichever side derives.
    const publicKeys = [secret.subarray(sodium.crypto_sign_SEEDBYTES), peerPublic].sort((a, b) =>
      Buffer.compare(a, b),
    );
    const key = sodium.sodium_malloc(MAC_BYTES);
    sodium.crypto_generichash(key, Buffer.concat([LABEL, ...publicKeys]), shared);
    return new FetchMac(key);
  }
}

const known = new WeakMap<KeyObject, WeakMap<KeyObject, FetchMac | null>>();

/**
 * What a subgraph checks the gateway's tokens with: the gateway's public key
 * (signed tokens) and, when its department holds an Ed25519 key, the MAC key
 * it shares with the gateway (see {@link FetchMac}).
 */
export class GatewayTokenKeys {
  readonly fetchMac: FetchMac | null;

  readonly gateway: KeyObject;

  constructor(gateway: PlatformKey, department: KeyObject | null) {
    this.gateway = asKeyObject(gateway);
    this.fetchMac = department ? FetchMac.between(department, this.gateway) : null;
  }
}
