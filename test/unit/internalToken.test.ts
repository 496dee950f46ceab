import { generateKeyPairSync, sign } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it('asks for the ACCESS records back only when the gateway signed that into the token', async () => {
    const nonce = newHandBackNonce();
    expect(nonce).toMatch(/^[\w-]{16}$/);
    expect(newHandBackNonce()).not.toBe(nonce);
    const asked = await signInternalToken(identity, 'public_security', privateKey, BODY, {
      handBackNonce: nonce,
    });
    const verified = await verifyInternalToken(asked, 'public_security', publicKey, BODY);
    expect(verified.handBackNonce).toBe(nonce);
    // The same token again (a replayed fetch) is served, but the subgraph records it itself.
    const replayed = await verifyInternalToken(asked, 'public_security', publicKey, BODY);
    expect(replayed.handBackNonce).toBeNull();
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
