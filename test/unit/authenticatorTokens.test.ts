import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Knex } from 'knex';
import { SignJWT } from 'jose';
import { Authenticator } from '../../gateway/auth/Authenticator.ts';
import { mintDevToken, type AuthConfig } from '../../server/index.ts';

const SECRET = 'a development secret of more than thirty-two bytes';

const auth: AuthConfig = {
  issuer: 'govdata-dev',
  audience: 'govdata',
  tokens: { kind: 'secret', secret: SECRET, secretFile: 'unused' },
  joinKeyFile: 'unused',
  gatewayPrivateKeyFile: 'unused',
  gatewayPublicKeyFile: 'unused',
  departmentKeys: { signingDir: 'unused', verifyDir: 'unused' },
  officeDepartments: ['data_office'],
};

/** Bearer tokens never touch the database: a database that throws proves it. */
const noDatabase = new Proxy(
  {},
  {
    get() {
      throw new Error('the database was used');
    },
  },
) as unknown as Knex;

function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('the token was accepted');
    },
    (error: unknown) => error,
  );
}

describe('bearer tokens, remembered once verified', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers the same caller for the same token, and refuses an altered one after it', async () => {
    const authenticator = Authenticator.create(auth, noDatabase);
    const token = await mintDevToken(auth, {
      department: 'civil_affairs',
      roles: ['APP_DEVELOPER'],
      user: 'alice',
    });
    const first = await authenticator.verifyToken(token);
    expect(first).toEqual({
      department: 'civil_affairs',
      application: null,
      user: 'alice',
      roles: ['APP_DEVELOPER'],
    });
    expect(await authenticator.verifyToken(token)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.roles)).toBe(true);

    // Every other text is another token: a signature character changed (in the
    // middle: the last one's low bits are padding that decoders ignore), a claim
    // changed under the same signature.
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const at = signature.length >> 1;
    const flipped = `${header}.${payload}.${signature.slice(0, at)}${signature[at] === 'A' ? 'B' : 'A'}${signature.slice(at + 1)}`;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, dept: 'public_security' })).toString('base64url')}.${signature}`;
    for (const bad of [flipped, forged, token.slice(0, -2)]) {
      const error = (await refusal(authenticator.verifyToken(bad))) as {
        extensions?: { code?: string };
      };
      expect(error.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it("refuses the office roles for any department but the office's, whoever signed the token", async () => {
    const authenticator = Authenticator.create(auth, noDatabase);
    for (const roles of [['ADMIN'], ['REVIEWER'], ['DEPT_IT', 'REVIEWER']] as const) {
      const token = await mintDevToken(auth, { department: 'public_security', roles, user: 'li' });
      const error = (await refusal(authenticator.verifyToken(token))) as {
        message: string;
        extensions?: { code?: string };
      };
      expect(error.extensions?.code).toBe('UNAUTHENTICATED');
      expect(error.message).toContain('of the data management office (data_office)');
    }
    const office = await mintDevToken(auth, { department: 'data_office', roles: ['ADMIN'] });
    expect((await authenticator.verifyToken(office)).roles).toEqual(['ADMIN']);
    const it = await mintDevToken(auth, { department: 'public_security', roles: ['DEPT_IT'] });
    expect((await authenticator.verifyToken(it)).roles).toEqual(['DEPT_IT']);
  });

  it('refuses an application or user claim that is not one line of text', async () => {
    const authenticator = Authenticator.create(auth, noDatabase);
    for (const bad of [
      { user: '\t=HYPERLINK("x")' },
      { application: 'a\nb' },
      { user: 'x'.repeat(129) },
    ]) {
      const token = await mintDevToken(auth, { department: 'civil_affairs', roles: [], ...bad });
      const error = (await refusal(authenticator.verifyToken(token))) as { message: string };
      expect(error.message).toContain('without control characters');
    }
    const fine = await mintDevToken(auth, {
      department: 'civil_affairs',
      roles: [],
      user: '张三@gov',
    });
    expect((await authenticator.verifyToken(fine)).user).toBe('张三@gov');
  });

  it('stops taking a remembered token once it expires, as it would unremembered', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2026-11-30T08:00:00Z');
    vi.setSystemTime(start);
    const authenticator = Authenticator.create(auth, noDatabase);
    const token = await mintDevToken(auth, {
      department: 'civil_affairs',
      roles: [],
      expiresIn: '20s',
    });
    await authenticator.verifyToken(token);
    // Within the clock tolerance of five seconds past expiry: still taken.
    vi.setSystemTime(start.getTime() + 24_000);
    await expect(authenticator.verifyToken(token)).resolves.toMatchObject({
      department: 'civil_affairs',
    });
    vi.setSystemTime(start.getTime() + 26_000);
    const error = (await refusal(authenticator.verifyToken(token))) as { message: string };
    expect(error.message).toMatch(/not valid \(ERR_JWT_EXPIRED\)/);
  });

  it('verifies a long-lived token again after at most thirty seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2026-11-30T08:00:00Z');
    vi.setSystemTime(start);
    const token = await mintDevToken(auth, {
      department: 'civil_affairs',
      roles: [],
      expiresIn: '1h',
    });
    // The same token, checked by a gateway that trusts another secret from now on
    // (a rotated key): refused once the remembered verification has lapsed.
    const authenticator = Authenticator.create(auth, noDatabase);
    await authenticator.verifyToken(token);
    (authenticator as unknown as { key: unknown }).key = new TextEncoder().encode('another secret');
    vi.setSystemTime(start.getTime() + 29_000);
    await expect(authenticator.verifyToken(token)).resolves.toMatchObject({
      department: 'civil_affairs',
    });
    vi.setSystemTime(start.getTime() + 31_000);
    const error = (await refusal(authenticator.verifyToken(token))) as { message: string };
    expect(error.message).toMatch(/not valid/);
  });

  it('never remembers a token that did not verify', async () => {
    const authenticator = Authenticator.create(auth, noDatabase);
    const early = await new SignJWT({ dept: 'civil_affairs', roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setNotBefore(Math.floor(Date.now() / 1000) + 3600)
      .setExpirationTime('2h')
      .sign(new TextEncoder().encode(SECRET));
    for (let i = 0; i < 2; i++) {
      const error = (await refusal(authenticator.verifyToken(early))) as { message: string };
      expect(error.message).toMatch(/ERR_JWT_CLAIM_VALIDATION_FAILED/);
    }
  });
});
