import { generateKeyPairSync, sign } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestIdentity } from '../../server/identity/RequestIdentity.ts';
import { signInternalToken, verifyInternalToken } from '../../server/identity/internalToken.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

const identity: RequestIdentity = {
  caller: { department: 'civil_affairs', application: null, user: 'u1', roles: ['APP_DEVELOPER'] },
  purpose: 'social-assistance',
  grantId: null,
  requestId: 'req-1',
  operationName: 'Person',
};

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
    exp: now + 60,
    ...overrides,
  };
}

describe('internal tokens', () => {
  afterEach(() => vi.useRealTimers());

  it('carries the identity to the subgraph it is addressed to', async () => {
    const token = await signInternalToken(identity, 'public_security', privateKey);
    const verified = await verifyInternalToken(token, 'public_security', publicKey);
    expect(verified).toEqual({ identity, composeOnly: false });
  });

  it('is refused by any other subgraph', async () => {
    const token = await signInternalToken(identity, 'public_security', privateKey);
    await expect(verifyInternalToken(token, 'city_water', publicKey)).rejects.toThrow();
  });

  it('is refused once expired, and when issued too far in the future', async () => {
    const token = await signInternalToken(identity, 'public_security', privateKey);
    vi.useFakeTimers({ now: Date.now() + 70_000 });
    await expect(verifyInternalToken(token, 'public_security', publicKey)).rejects.toThrow();
    vi.useRealTimers();
    const future = craft(
      { alg: 'EdDSA' },
      validClaims({ iat: Math.floor(Date.now() / 1000) + 60 }),
    );
    await expect(verifyInternalToken(future, 'public_security', publicKey)).rejects.toThrow();
  });

  it('is refused when a claim is changed after signing', async () => {
    const [header, , signature] = parts(
      await signInternalToken(identity, 'public_security', privateKey),
    );
    const forged = `${header}.${b64(validClaims({ dept: 'public_security', roles: ['ADMIN'] }))}.${signature}`;
    await expect(verifyInternalToken(forged, 'public_security', publicKey)).rejects.toThrow();
  });

  it('is refused when signed with another key', async () => {
    const token = await signInternalToken(identity, 'public_security', other.privateKey);
    await expect(verifyInternalToken(token, 'public_security', publicKey)).rejects.toThrow();
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
      await expect(verifyInternalToken(token, 'public_security', publicKey)).rejects.toThrow();
    }
  });

  it('refuses malformed tokens without reading them', async () => {
    const good = await signInternalToken(identity, 'public_security', privateKey);
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
      await expect(verifyInternalToken(token, 'public_security', publicKey)).rejects.toThrow();
    }
  });

  it('is a standard compact JWS: one signed by jose with the same key verifies', async () => {
    const token = await new SignJWT({ rid: 'r', dept: 'civil_affairs' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('govdata-gateway')
      .setAudience('public_security')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(privateKey);
    const verified = await verifyInternalToken(token, 'public_security', publicKey);
    expect(verified.identity.caller?.department).toBe('civil_affairs');
  });
});
