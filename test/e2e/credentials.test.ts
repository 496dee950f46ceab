import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey, revokeApiKey } from '../../server/index.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';

const ENTERPRISES = `{ enterprises(first: 1) { nodes { creditCode } } }`;

describe('application API keys', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(() => platform?.close());

  it('authenticate as the application they were issued to, and stop working within 5 s of revocation', async () => {
    const issued = await issueApiKey(
      platform.platformDb,
      { department: 'tax', application: 'checker', user: null, roles: ['APP_DEVELOPER'] },
      'test key',
    );
    const stored = await platform.platformDb('api_keys').where({ id: issued.id }).first();
    // The secret is base64url, which may itself hold '_': it is everything after the id.
    const secret = issued.key.slice(issued.key.indexOf(`_${issued.id}_`) + issued.id.length + 2);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(stored)).not.toContain(secret);

    const ok = await platform.query(ENTERPRISES, {}, { 'x-api-key': issued.key });
    expect(ok.errors).toBeUndefined();

    const wrong = await platform.query(
      ENTERPRISES,
      {},
      { 'x-api-key': `${issued.key.slice(0, -1)}${issued.key.endsWith('A') ? 'B' : 'A'}` },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

    expect(await revokeApiKey(platform.platformDb, issued.id)).toBe(true);
    const started = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - started < 7000) {
      status = (await platform.query(ENTERPRISES, {}, { 'x-api-key': issued.key })).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeLessThan(5500);
  });

  it('refuses a bearer token and an API key together', async () => {
    const headers = await platform.as('tax');
    const both = await platform.query(ENTERPRISES, {}, { ...headers, 'x-api-key': 'gdk_x' });
    expect(both.status).toBe(401);
  });
});

describe('tokens verified against a JWKS file (production)', () => {
  let platform: TestPlatform;
  let sign: (claims: Record<string, unknown>, kid?: string) => Promise<string>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
    sign = (claims, kid = 'idp-1') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer('https://idp.example.gov')
        .setAudience('govdata')
        .setExpirationTime('5m')
        .sign(privateKey);
    platform = await startTestPlatform('sqlite', {}, (config) => {
      const file = join(config.database.kind === 'sqlite' ? config.database.dir : '.', 'jwks.json');
      writeFileSync(file, JSON.stringify({ keys: [jwk] }));
      return {
        ...config,
        auth: {
          ...config.auth,
          issuer: 'https://idp.example.gov',
          tokens: { kind: 'jwks-file', file },
        },
      };
    });
  });
  afterAll(() => platform?.close());

  it('accepts a token signed by the identity provider', async () => {
    const token = await sign({ dept: 'tax', roles: ['APP_DEVELOPER'] });
    const response = await platform.query(ENTERPRISES, {}, { authorization: `Bearer ${token}` });
    expect(response.errors).toBeUndefined();
  });

  it('refuses development tokens and tokens with an unknown key id', async () => {
    await expect(platform.as('tax')).rejects.toThrow(/JWKS/);
    const hs256 = await new SignJWT({ dept: 'tax', roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://idp.example.gov')
      .setAudience('govdata')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(48)));
    expect(
      (await platform.query(ENTERPRISES, {}, { authorization: `Bearer ${hs256}` })).status,
    ).toBe(401);
    const unknownKey = await sign({ dept: 'tax', roles: [] }, 'idp-2');
    const response = await platform.query(
      ENTERPRISES,
      {},
      { authorization: `Bearer ${unknownKey}` },
    );
    expect(response.status).toBe(401);
    expect(response.data ?? null).toBeNull();
  });
});
