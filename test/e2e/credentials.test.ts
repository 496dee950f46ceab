import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, issueApiKey, revokeApiKey } from '../../server/index.ts';
import { ok, refused } from '../support/responses.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';

const ENTERPRISES = `{ enterprises(first: 1) { nodes { creditCode } } }`;

describe('application API keys', () => {
  let platform: TestPlatform;
  /** Every line the platform logged, at debug level: a secret must never be among them. */
  const logged: string[] = [];
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    platform = await startTestPlatform('sqlite', {
      logger: createLogger({ logLevel: 'debug' }, destination),
    });
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

  it('expire: 90 days after issue unless asked otherwise, a year at most, and an expired key is refused', async () => {
    const before = Date.now();
    const issued = await issueApiKey(
      platform.platformDb,
      { department: 'tax', application: 'expiring', user: null, roles: ['APP_DEVELOPER'] },
      'expiring key',
    );
    const days = (Date.parse(issued.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(89.99);
    expect(days).toBeLessThan(90.01);
    await expect(
      issueApiKey(
        platform.platformDb,
        { department: 'tax', application: 'forever', user: null, roles: ['APP_DEVELOPER'] },
        'forever',
        null,
        366,
      ),
    ).rejects.toThrow(/1 to 365 days/);
    expect((await platform.query(ENTERPRISES, {}, { 'x-api-key': issued.key })).status).toBe(200);
    // Its day comes (a fresh key of the same row, so no cached answer stands for it).
    const lapsed = await issueApiKey(
      platform.platformDb,
      { department: 'tax', application: 'lapsed', user: null, roles: ['APP_DEVELOPER'] },
      'lapsed key',
    );
    await platform
      .platformDb('api_keys')
      .where({ id: lapsed.id })
      .update({ expires_at: new Date(Date.now() - 1000).toISOString() });
    const refused = await platform.query(ENTERPRISES, {}, { 'x-api-key': lapsed.key });
    expect(refused.status).toBe(401);
    expect(refused.errors![0]!.message).toContain('expired');
    // A row written without an end is not taken for a key that never ends.
    await platform.platformDb('api_keys').where({ id: lapsed.id }).update({ expires_at: null });
    expect((await platform.query(ENTERPRISES, {}, { 'x-api-key': lapsed.key })).status).toBe(401);
  });

  const LIST = `query($d: String, $o: Int, $l: Int) {
    apiKeys(department: $d, offset: $o, limit: $l) { id department application user roles label createdAt expiresAt revokedAt issuedBy revokedBy active }
  }`;
  const ISSUE = `mutation($input: ApiKeyInput!) {
    issueApiKey(input: $input) { secret apiKey { id department application roles label active } }
  }`;
  const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt revokedBy active } }`;
  const as = async (department: string, role: 'APP_DEVELOPER' | 'DEPT_IT' | 'REVIEWER' | 'ADMIN') =>
    ({
      authorization: `Bearer ${await platform.token({ department, roles: [role], user: `${department}.${role}` })}`,
    }) as Record<string, string>;

  it('are issued, listed and revoked through the API by an admin: the secret once, in the answer to the issue alone', async () => {
    const admin = await as('data_office', 'ADMIN');
    const issued = ok(
      await platform.query<{
        issueApiKey: { secret: string; apiKey: { id: string; roles: string[]; label: string } };
      }>(
        ISSUE,
        { input: { department: 'housing', application: 'rent-subsidy', label: 'rent desk' } },
        admin,
      ),
    ).issueApiKey;
    expect(issued.secret).toMatch(/^gdk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(issued.apiKey).toMatchObject({ roles: ['APP_DEVELOPER'], label: 'rent desk' });
    const secret = issued.secret.slice(`gdk_${issued.apiKey.id}_`.length);
    expect(issued.secret.startsWith(`gdk_${issued.apiKey.id}_`)).toBe(true);

    // The key works as the application it names.
    expect(
      (await platform.query(ENTERPRISES, {}, { 'x-api-key': issued.secret })).errors,
    ).toBeUndefined();

    // Listed (filtered by department, paged) without the secret or its hash; no field asks for them.
    const listed = await platform.query<{ apiKeys: { id: string; issuedBy: string | null }[] }>(
      LIST,
      { d: 'housing', o: 0, l: 10 },
      admin,
    );
    expect(ok(listed).apiKeys.map((k) => k.id)).toEqual([issued.apiKey.id]);
    // Who issued it is on record (the admin's department/user).
    expect(listed.data!.apiKeys[0]).toMatchObject({
      issuedBy: 'data_office/data_office.ADMIN',
      revokedBy: null,
    });
    expect(JSON.stringify(listed)).not.toContain(secret);
    const stored = await platform.platformDb('api_keys').where({ id: issued.apiKey.id }).first();
    expect(JSON.stringify(listed)).not.toContain((stored as { secret_hash: string }).secret_hash);
    for (const field of ['secret', 'secretHash', 'secret_hash', 'key']) {
      const asked = await platform.query(`{ apiKeys { id ${field} } }`, {}, admin);
      expect(asked.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }

    // Revoked once (then CONFLICT), unknown ids NOT_FOUND; the key is refused within seconds.
    const revoked = ok(
      await platform.query<{
        revokeApiKey: { active: boolean; revokedAt: string; revokedBy: string };
      }>(REVOKE, { id: issued.apiKey.id }, admin),
    ).revokeApiKey;
    expect(revoked).toMatchObject({ active: false, revokedBy: 'data_office/data_office.ADMIN' });
    expect(Date.parse(revoked.revokedAt)).not.toBeNaN();
    refused(await platform.query(REVOKE, { id: issued.apiKey.id }, admin), 'CONFLICT');
    refused(await platform.query(REVOKE, { id: '0123456789abcdef' }, admin), 'NOT_FOUND');
    refused(await platform.query(REVOKE, { id: "x' or 1=1 --" }, admin), 'BAD_USER_INPUT');
    await expect
      .poll(
        async () => (await platform.query(ENTERPRISES, {}, { 'x-api-key': issued.secret })).status,
        { timeout: 8000, interval: 250 },
      )
      .toBe(401);

    // Nowhere else: not in the audit trail (REQUEST records of the issue included), not in a log line.
    const admins = await platform.query<{ auditCsv: string }>('{ auditCsv }', {}, admin);
    expect(ok(admins).auditCsv).toMatch(/IssueApiKey|issueApiKey|,REQUEST,/);
    expect(admins.data!.auditCsv).not.toContain(secret);
    const records = await platform.platformDb('audit_records').select('*');
    expect(JSON.stringify(records)).not.toContain(secret);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((line) => line.includes(secret))).toEqual([]);
  });

  it('refuses everyone but an admin: developers, department IT (its own department too), reviewers, anonymous callers', async () => {
    const before = await platform.platformDb('api_keys').count({ n: '*' });
    const key = await issueApiKey(
      platform.platformDb,
      { department: 'tax', application: 'kept', user: null, roles: ['APP_DEVELOPER'] },
      'kept',
    );
    for (const [department, role] of [
      ['tax', 'APP_DEVELOPER'],
      ['tax', 'DEPT_IT'],
      ['public_security', 'DEPT_IT'],
      ['data_office', 'REVIEWER'],
    ] as const) {
      const headers = await as(department, role);
      expect(refused(await platform.query(LIST, {}, headers), 'FORBIDDEN')).toContain('ADMIN');
      refused(await platform.query(LIST, { d: department }, headers), 'FORBIDDEN');
      refused(
        await platform.query(
          ISSUE,
          { input: { department, application: 'mine', roles: ['ADMIN'] } },
          headers,
        ),
        'FORBIDDEN',
      );
      refused(await platform.query(REVOKE, { id: key.id }, headers), 'FORBIDDEN');
    }
    for (const [query, variables] of [
      [LIST, {}],
      [ISSUE, { input: { department: 'tax', application: 'mine' } }],
      [REVOKE, { id: key.id }],
    ] as const) {
      const anonymous = await platform.query(query, variables);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    // A key's own caller cannot manage keys either, even one carrying DEPT_IT.
    const deptKey = await issueApiKey(
      platform.platformDb,
      { department: 'tax', application: 'it-tool', user: null, roles: ['DEPT_IT'] },
      'it tool',
    );
    refused(await platform.query(LIST, {}, { 'x-api-key': deptKey.key }), 'FORBIDDEN');
    // Nothing was issued or revoked by the refused calls.
    expect(await platform.platformDb('api_keys').count({ n: '*' })).toEqual([
      { n: Number((before[0] as { n: number }).n) + 2 },
    ]);
    expect(
      (await platform.platformDb('api_keys').where({ id: key.id }).first()) as {
        revoked_at: string | null;
      },
    ).toMatchObject({ revoked_at: null });
  });

  it('refuses malformed and huge inputs with words, storing nothing', async () => {
    const admin = await as('data_office', 'ADMIN');
    const before = await platform.platformDb('api_keys').count({ n: '*' });
    for (const [input, field] of [
      [{ department: "tax'; drop table api_keys; --", application: 'x' }, 'department'],
      [{ department: 'tax', application: '../../etc' }, 'application'],
      [{ department: 'tax', application: 'a'.repeat(65) }, 'application'],
      [{ department: 'tax', application: 'x', roles: ['ROOT'] }, 'roles'],
      [{ department: 'tax', application: 'x', roles: [] }, 'roles'],
      [{ department: 'tax', application: 'x', label: '长'.repeat(129) }, 'label'],
      [{ department: 'tax', application: 'x', label: 'two\nlines' }, 'label'],
      [{ department: 'tax', application: 'x', label: 'a'.repeat(100_000) }, 'label'],
    ] as const) {
      const response = await platform.query(ISSUE, { input }, admin);
      if (response.status === 413 || response.errors?.[0]?.extensions?.code === 'OPERATION_LIMIT')
        continue;
      expect(refused(response, 'BAD_USER_INPUT')).toMatch(new RegExp(`- ${field}:`));
    }
    for (const page of [
      { o: -1, l: 10 },
      { o: 0, l: 0 },
      { o: 0, l: 201 },
      { o: 2_000_000, l: 10 },
    ])
      refused(await platform.query(LIST, page, admin), 'BAD_USER_INPUT');
    expect(await platform.platformDb('api_keys').count({ n: '*' })).toEqual(before);
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
