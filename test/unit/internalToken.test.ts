import {
  createHash,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FetchMac, GatewayTokenKeys } from '../../server/identity/FetchMac.ts';
import type { RequestIdentity } from '../../server/identity/RequestIdentity.ts';
import {
  bodyHash,
  newHandBackNonce,
  signComposeToken,
  signInternalToken,
  verifyInternalToken,
} from '../../server/identity/internalToken.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
/** Two departments' audit keys, for tokens under the MAC key a department shares with the gateway. */
const publicSecurity = generateKeyPairSync('ed25519');
const cityWater = generateKeyPairSync('ed25519');

const identity: RequestIdentity = {
  caller: { department: 'civil_affairs', application: null, user: 'u1', roles: ['APP_DEVELOPER'] },
  purpose: 'social-assistance',
  grantId: null,
  requestId: 'req-1',
  correlationId: 'client-7',
  operationName: 'Person',
};

/** The body of one subgraph fetch, as the gateway's data source serialises it. */
const BODY = JSON.stringify({
  query: 'query Person($id: String!) { person(idNumber: $id) { name } }',
  variables: { id: '110101199001011234' },
  operationName: 'Person',
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) => token.split('.') as [string, string, string];

/** A token with the given header and claims, properly signed with `key`. */
function craft(header: unknown, claims: unknown, key = privateKey): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}

function validClaims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    rid: 'r',
    dept: 'civil_affairs',
    iss: 'govdata-gateway',
    aud: 'public_security',
    iat: now,
    exp: now + 10,
    bh: bodyHash(BODY),
    ...overrides,
  };
}

describe('internal tokens', () => {
  afterEach(() => vi.useRealTimers());

  it('carries the identity to the subgraph it is addressed to', async () => {
    const token = await signInternalToken(identity, 'public_security', privateKey, BODY);
    const verified = await verifyInternalToken(token, 'public_security', publicKey, BODY);
    expect(verified).toEqual({ identity, composeOnly: false, handBackNonce: null });
  });

  it('asks for the ACCESS records back only when the gateway MACed that into the token', async () => {
    const nonce = newHandBackNonce();
    expect(nonce).toMatch(/^[\w-]{16}$/);
    expect(newHandBackNonce()).not.toBe(nonce);
    const asked = await signInternalToken(identity, 'public_security', gatewaySide(), BODY, {
      handBackNonce: nonce,
    });
    const verified = await verifyInternalToken(asked, 'public_security', subgraphSide(), BODY);
    expect(verified.handBackNonce).toBe(nonce);
    // The same token again (a replayed fetch) is served, but the subgraph records it itself.
    const replayed = await verifyInternalToken(asked, 'public_security', subgraphSide(), BODY);
    expect(replayed.handBackNonce).toBeNull();
    // Signed, the fetch is recorded by the subgraph: there is no key to seal its answer under.
    const signed = await signInternalToken(identity, 'public_security', privateKey, BODY, {
      handBackNonce: newHandBackNonce(),
    });
    expect(
      (await verifyInternalToken(signed, 'public_security', subgraphSide(), BODY)).handBackNonce,
    ).toBeNull();
    // A compose token never carries a request's records, whatever it claims.
    const compose = await signComposeToken('public_security', privateKey);
    expect(
      (await verifyInternalToken(compose, 'public_security', publicKey, '')).handBackNonce,
    ).toBeNull();
  });

  it('is refused by any other subgraph', async () => {
    const token = await signInternalToken(identity, 'public_security', privateKey, BODY);
    await expect(verifyInternalToken(token, 'city_water', publicKey, BODY)).rejects.toThrow();
  });

  it('is refused once expired (10 s and 5 s of clock tolerance), and when issued too far in the future', async () => {
    const token = await signInternalToken(identity, 'public_security', privateKey, BODY);
    vi.useFakeTimers({ now: Date.now() + 9_000 });
    await expect(
      verifyInternalToken(token, 'public_security', publicKey, BODY),
    ).resolves.toBeTruthy();
    vi.useFakeTimers({ now: Date.now() + 8_000 });
    await expect(verifyInternalToken(token, 'public_security', publicKey, BODY)).rejects.toThrow();
    vi.useRealTimers();
    const future = craft(
      { alg: 'EdDSA' },
      validClaims({ iat: Math.floor(Date.now() / 1000) + 60 }),
    );
    await expect(verifyInternalToken(future, 'public_security', publicKey, BODY)).rejects.toThrow();
  });

  it('is refused when a claim is changed after signing', async () => {
    const [header, , signature] = parts(
      await signInternalToken(identity, 'public_security', privateKey, BODY),
    );
    const forged = `${header}.${b64(validClaims({ dept: 'public_security', roles: ['ADMIN'] }))}.${signature}`;
    await expect(verifyInternalToken(forged, 'public_security', publicKey, BODY)).rejects.toThrow();
  });

  it('is refused when signed with another key', async () => {
    const token = await signInternalToken(identity, 'public_security', other.privateKey, BODY);
    await expect(verifyInternalToken(token, 'public_security', publicKey, BODY)).rejects.toThrow();
  });

  it('accepts only its one header: no alg none, no other alg, no extra parameters', async () => {
    const claims = validClaims();
    const none = `${b64({ alg: 'none' })}.${b64(claims)}.`;
    for (const token of [
      none,
      craft({ alg: 'HS256' }, claims),
      craft({ alg: 'EdDSA', jku: 'http://attacker.example/keys' }, claims),
      craft({ alg: 'EdDSA', crit: ['exp'] }, claims),
    ]) {
      await expect(
        verifyInternalToken(token, 'public_security', publicKey, BODY),
      ).rejects.toThrow();
    }
  });

  it('refuses malformed tokens without reading them', async () => {
    const good = await signInternalToken(identity, 'public_security', privateKey, BODY);
    const [header, payload, signature] = parts(good);
    for (const token of [
      '',
      'a.b',
      `${good}.extra`,
      `${header}.${payload}.${signature.slice(0, 40)}`,
      `${header}.${payload}`,
      craft({ alg: 'EdDSA' }, ['not', 'an', 'object']),
      craft({ alg: 'EdDSA' }, validClaims({ rid: 42 })),
      craft({ alg: 'EdDSA' }, validClaims({ iss: 'someone-else' })),
      craft({ alg: 'EdDSA' }, validClaims({ exp: 'never' })),
      'x'.repeat(100_000),
    ]) {
      await expect(
        verifyInternalToken(token, 'public_security', publicKey, BODY),
      ).rejects.toThrow();
    }
  });

  it('is a standard compact JWS: one signed by jose with the same key verifies', async () => {
    const token = await new SignJWT({ rid: 'r', dept: 'civil_affairs', bh: bodyHash(BODY) })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('govdata-gateway')
      .setAudience('public_security')
      .setIssuedAt()
      .setExpirationTime('10s')
      .sign(privateKey);
    const verified = await verifyInternalToken(token, 'public_security', publicKey, BODY);
    expect(verified.identity.caller?.department).toBe('civil_affairs');
  });

  it('is bound to the one body it was signed for', async () => {
    const token = await signInternalToken(identity, 'public_security', privateKey, BODY);
    const parsed = JSON.parse(BODY) as { query: string; variables: Record<string, string> };
    for (const other of [
      JSON.stringify({ ...parsed, variables: { id: '110101199001019999' } }),
      JSON.stringify({ ...parsed, query: '{ persons(first: 100) { nodes { name } } }' }),
      JSON.stringify({ variables: parsed.variables, query: parsed.query, operationName: 'Person' }),
      `${BODY} `,
      '',
    ]) {
      await expect(verifyInternalToken(token, 'public_security', publicKey, other)).rejects.toThrow(
        /another request body/,
      );
    }
  });

  it("hashes the body as SHA-256 of its UTF-8 text, base64url, whichever of Node's digests makes it", () => {
    for (const body of [
      BODY,
      '',
      '{"query":"{ person(idNumber: \\"1\\") { name } }"}',
      '数据共享'.repeat(500),
    ]) {
      expect(bodyHash(body)).toBe(createHash('sha256').update(body, 'utf8').digest('base64url'));
    }
  });

  it('is refused without a body hash, unless it is a compose token', async () => {
    const unbound = craft({ alg: 'EdDSA' }, validClaims({ bh: undefined }));
    await expect(
      verifyInternalToken(unbound, 'public_security', publicKey, BODY),
    ).rejects.toThrow();
    const compose = await signComposeToken('public_security', privateKey);
    const verified = await verifyInternalToken(compose, 'public_security', publicKey, '');
    expect(verified.composeOnly).toBe(true);
  });

  it('is refused once more than 15 s old, whatever its exp says', async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = craft({ alg: 'EdDSA' }, validClaims({ iat: now - 16, exp: now + 600 }));
    await expect(verifyInternalToken(old, 'public_security', publicKey, BODY)).rejects.toThrow();
  });
});

/** The MAC the gateway makes for public_security's fetches. */
const gatewaySide = () => FetchMac.between(privateKey, publicSecurity.publicKey)!;
/** What public_security's subgraph checks tokens with. */
const subgraphSide = (department: KeyObject = publicSecurity.privateKey) =>
  new GatewayTokenKeys(publicKey, department);

/** An HS256 token over `payload` under the raw HMAC key `key`. */
function macWith(key: Buffer, payload: unknown): string {
  const input = `${b64({ alg: 'HS256' })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

describe('fetch tokens under a MAC key shared by the gateway and one department', () => {
  it('are derived alike on both sides, and carry the identity as a signed token does', async () => {
    const token = await signInternalToken(identity, 'public_security', gatewaySide(), BODY);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({
      alg: 'HS256',
    });
    const verified = await verifyInternalToken(token, 'public_security', subgraphSide(), BODY);
    expect(verified.identity).toEqual(identity);
    // The key is made once per pair of keys.
    expect(gatewaySide()).toBe(gatewaySide());
  });

  it("are refused by another department's subgraph, even addressed to it", async () => {
    const token = await signInternalToken(identity, 'city_water', gatewaySide(), BODY);
    await expect(
      verifyInternalToken(token, 'city_water', subgraphSide(cityWater.privateKey), BODY),
    ).rejects.toThrow(/MAC does not verify/);
  });

  it('are refused where no MAC key is held: only the gateway public key is no MAC key', async () => {
    const token = await signInternalToken(identity, 'public_security', gatewaySide(), BODY);
    await expect(verifyInternalToken(token, 'public_security', publicKey, BODY)).rejects.toThrow(
      /MAC does not verify/,
    );
    // Alg confusion: an HS256 token keyed with the gateway's public key, raw or as its JWK text.
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const jwk = Buffer.from(JSON.stringify(publicKey.export({ format: 'jwk' })));
    for (const key of [raw, spki, jwk, Buffer.alloc(32)]) {
      await expect(
        verifyInternalToken(macWith(key, validClaims()), 'public_security', subgraphSide(), BODY),
      ).rejects.toThrow(/MAC does not verify/);
    }
  });

  it('are refused with a claim or the MAC altered, or bound to another body', async () => {
    const token = await signInternalToken(identity, 'public_security', gatewaySide(), BODY);
    const [header, payload, mac] = token.split('.') as [string, string, string];
    const altered = b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), dept: 'x' });
    const flipped = Buffer.from(mac, 'base64url');
    flipped[0]! ^= 1;
    for (const forged of [
      `${header}.${altered}.${mac}`,
      `${header}.${payload}.${flipped.toString('base64url')}`,
      `${header}.${payload}.${mac.slice(0, 20)}`,
      `${header}.${payload}.`,
    ]) {
      await expect(
        verifyInternalToken(forged, 'public_security', subgraphSide(), BODY),
      ).rejects.toThrow(/MAC does not verify/);
    }
    await expect(
      verifyInternalToken(token, 'public_security', subgraphSide(), `${BODY} `),
    ).rejects.toThrow(/another request body/);
  });

  it('leave signed tokens accepted beside them', async () => {
    const token = await signInternalToken(identity, 'public_security', privateKey, BODY);
    const verified = await verifyInternalToken(token, 'public_security', subgraphSide(), BODY);
    expect(verified.identity.requestId).toBe('req-1');
    const forged = await signInternalToken(identity, 'public_security', cityWater.privateKey, BODY);
    await expect(
      verifyInternalToken(forged, 'public_security', subgraphSide(), BODY),
    ).rejects.toThrow(/signature does not verify/);
  });

  it("seal a hand-back's answer for the gateway of that fetch alone", () => {
    const nonce = newHandBackNonce();
    const answer = JSON.stringify({ data: { person: { name: '张三', phone: '13800000000' } } });
    const subgraphMac = FetchMac.between(publicSecurity.privateKey, publicKey)!;
    const sealed = subgraphMac.sealAnswer(nonce, answer);
    // Nothing of it can be read without the key: not a value, not a name.
    for (const secret of ['13800000000', 'phone', Buffer.from('张三').toString('latin1')]) {
      expect(sealed.toString('latin1')).not.toContain(secret);
    }
    expect(gatewaySide().openAnswer(nonce, sealed)).toBe(answer);
    // Sealed twice, it looks unrelated (a fresh nonce each time), and opens alike.
    const again = subgraphMac.sealAnswer(nonce, answer);
    expect(again.equals(sealed)).toBe(false);
    expect(gatewaySide().openAnswer(nonce, again)).toBe(answer);
    // Not for another fetch, not under another department's key, not altered or cut.
    expect(() => gatewaySide().openAnswer(newHandBackNonce(), sealed)).toThrow();
    const otherPair = FetchMac.between(privateKey, cityWater.publicKey)!;
    expect(() => otherPair.openAnswer(nonce, sealed)).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 20]! ^= 1;
    expect(() => gatewaySide().openAnswer(nonce, flipped)).toThrow();
    expect(() => gatewaySide().openAnswer(nonce, sealed.subarray(0, 30))).toThrow();
    expect(() => gatewaySide().openAnswer(nonce, Buffer.alloc(0))).toThrow();
  });

  it('are not made from keys that are not Ed25519, nor from a public key that is no curve point', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(FetchMac.between(rsa.privateKey, publicSecurity.publicKey)).toBeNull();
    expect(FetchMac.between(privateKey, rsa.publicKey)).toBeNull();
    expect(FetchMac.between(publicKey, publicSecurity.publicKey)).toBeNull();
    // An all-zero key, a point of small order, is refused by the conversion.
    const smallOrder = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32).toString('base64url') },
      format: 'jwk',
    });
    expect(() => FetchMac.between(privateKey, smallOrder)).toThrow();
  });
});
