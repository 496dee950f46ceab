import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import type { GatewayContext } from '../../gateway/auth/GatewayContext.ts';
import { SigningDataSource } from '../../gateway/auth/SigningDataSource.ts';
import { TextResponse } from '../../gateway/subgraphFetcher.ts';
import type { AuditEntry } from '../../server/audit/AuditEntry.ts';
import { AttestingAuditSink } from '../../server/audit/AttestingAuditSink.ts';
import { readHandedBackAccess, type HandedBackFetch } from '../../server/audit/handedBackAccess.ts';
import { openCompactJws } from '../../server/identity/compactJws.ts';
import { GatewayTokenKeys } from '../../server/identity/FetchMac.ts';
import { bodyHash } from '../../server/identity/internalToken.ts';
import { DepartmentVerifyKeys } from '../../server/identity/departmentAuditKeys.ts';

/**
 * The gateway commits the ACCESS records a subgraph hands back with its
 * answer. What it takes must be exactly that fetch's records, field by field:
 * a subgraph (or anything between it and the gateway) must not be able to
 * write a record of another request, another subgraph or another consumer, a
 * REQUEST record, an export manifest, or anything but the audit fields. And
 * each must carry the department's signature for that very fetch: the gateway,
 * holding no department key, cannot forge or alter one.
 */
/** Who the fetch was for. */
const FETCHED = {
  requestId: 'req-1',
  correlationId: 'client-7',
  subgraph: 'public_security',
  consumerDepartment: 'civil_affairs',
  consumerApplication: 'relief',
  userId: 'u1',
  purpose: 'social-assistance',
};
const FETCH: HandedBackFetch = { ...FETCHED, nonce: 'nonce-of-fetch-1x' };

/** An ACCESS record of that very fetch, before the department signs it. */
const UNSIGNED: AuditEntry = {
  at: '2026-11-30T22:00:00.123Z',
  kind: 'ACCESS',
  ...FETCHED,
  grantId: 'g-1,g-2',
  datasetCode: 'PS-POP-001',
  providerDepartment: 'public_security',
  itemsReturned: ['name', 'gender'],
  itemsMasked: ['name'],
  itemsDenied: ['address'],
  recordCount: 1,
  verifications: 0,
  verifiedItems: [],
  verificationsMatched: 0,
  decision: 'PARTIAL',
  reason: 'NOT_GRANTED',
  operationName: 'Person',
  operationHash: null,
  latencyMs: 3,
};

const publicSecurity = generateKeyPairSync('ed25519');
const cityWater = generateKeyPairSync('ed25519');
/** What the public security subgraph host signs with. */
const department = new AttestingAuditSink(
  { record: () => Promise.resolve(), drain: () => Promise.resolve() },
  publicSecurity.privateKey,
);
const [RECORD] = department.attest([UNSIGNED], FETCH.nonce) as [AuditEntry];

/** The departments' public keys, as the gateway reads them: city water's is not provisioned. */
const keyOf = (code: string): KeyObject => {
  if (code === 'public_security') return publicSecurity.publicKey;
  throw new Error(`No audit verify key for department ${code}`);
};

describe('readHandedBackAccess', () => {
  it('takes the fetch’s own ACCESS records, and nothing when none came', () => {
    expect(readHandedBackAccess([RECORD, RECORD], FETCH, keyOf)).toEqual([RECORD, RECORD]);
    expect(readHandedBackAccess(undefined, FETCH, keyOf)).toEqual([]);
  });

  it('rebuilds each record from the audit fields only', () => {
    const [taken] = readHandedBackAccess(
      [{ ...RECORD, rowValue: '张三', hash: 'x' }],
      FETCH,
      keyOf,
    );
    expect(taken).toEqual(RECORD);
    expect(Object.keys(taken!)).not.toContain('rowValue');
  });

  it.each<[string, Record<string, unknown>]>([
    ['another request', { requestId: 'req-2' }],
    ['another correlation id', { correlationId: null }],
    ['another subgraph', { subgraph: 'city_water' }],
    ['another consumer', { consumerDepartment: 'market_supervision' }],
    ['another application', { consumerApplication: null }],
    ['another user', { userId: 'u2' }],
    ['another purpose', { purpose: 'tax' }],
    ['a REQUEST record', { kind: 'REQUEST' }],
    ['a decision no dataset access has', { decision: 'REFUSED' }],
    ['an export manifest', { manifest: '{"records":1}' }],
    ['a negative count', { recordCount: -1 }],
    ['a fractional count', { verifications: 0.5 }],
    ['a count as text', { recordCount: '1' }],
    ['an item that is not a name', { itemsReturned: [{ name: 'x' }] }],
    ['items that are not a list', { itemsMasked: 'name' }],
    ['a time not in UTC ISO form', { at: '2026-11-30 22:00:00' }],
    ['an overlong text', { reason: 'x'.repeat(4097) }],
    ['a dataset code that is not text', { datasetCode: 7 }],
  ])('refuses %s', (_, change) => {
    expect(() => readHandedBackAccess([{ ...RECORD, ...change }], FETCH, keyOf)).toThrow();
  });

  it('refuses what is not a list of records, and more than 1,000 of them', () => {
    expect(() => readHandedBackAccess(RECORD, FETCH, keyOf)).toThrow();
    expect(() => readHandedBackAccess([null], FETCH, keyOf)).toThrow();
    expect(() => readHandedBackAccess(['ACCESS'], FETCH, keyOf)).toThrow();
    expect(() => readHandedBackAccess(Array(1001).fill(RECORD), FETCH, keyOf)).toThrow();
  });
});

describe('the department’s attestation of a handed-back record', () => {
  const take = (record: AuditEntry) => () => readHandedBackAccess([record], FETCH, keyOf);

  it('the attack: a record altered after the department signed it is refused', () => {
    expect(take({ ...RECORD, recordCount: 0 })).toThrow(/not the department's signature/);
    expect(take({ ...RECORD, itemsMasked: [] })).toThrow(/not the department's signature/);
    expect(take({ ...RECORD, decision: 'ALLOWED' })).toThrow(/not the department's signature/);
  });

  it('the attack: a record signed with another department’s key is refused', () => {
    const [forged] = new AttestingAuditSink(department, cityWater.privateKey).attest(
      [UNSIGNED],
      FETCH.nonce,
    );
    expect(take(forged!)).toThrow(/another key/);
  });

  it('the attack: a record signed for another fetch, or committed by the subgraph itself, is refused', () => {
    const [otherFetch] = department.attest([UNSIGNED], 'nonce-of-fetch-2x');
    expect(take(otherFetch!)).toThrow(/another fetch/);
    const [committed] = department.attest([UNSIGNED]);
    expect(take(committed!)).toThrow(/another fetch/);
  });

  it('the attack: a record without a signature is refused', () => {
    expect(take(UNSIGNED)).toThrow(/no attestation/);
    expect(take({ ...RECORD, attestation: null })).toThrow(/no attestation/);
  });

  it('a record about another department’s data, or of a department with no key, is refused', () => {
    const [aboutWater] = department.attest(
      [{ ...UNSIGNED, providerDepartment: 'city_water' }],
      FETCH.nonce,
    );
    expect(take(aboutWater!)).toThrow(/providerDepartment/);
    const water = { ...FETCH, subgraph: 'city_water' };
    const [ofWater] = new AttestingAuditSink(department, cityWater.privateKey).attest(
      [{ ...UNSIGNED, subgraph: 'city_water', providerDepartment: 'city_water' }],
      FETCH.nonce,
    );
    expect(() => readHandedBackAccess([ofWater], water, keyOf)).toThrow(
      /No audit verify key for department city_water/,
    );
  });
});

describe('the gateway’s data source', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  /** A fetch token's claims, opened as public security's subgraph opens them. */
  const claimsOf = (token: string) =>
    openCompactJws(token, new GatewayTokenKeys(publicKey, publicSecurity.privateKey));
  const keysDir = mkdtempSync(join(tmpdir(), 'department-verify-'));
  writeFileSync(
    join(keysDir, 'public_security.jwk.json'),
    JSON.stringify(publicSecurity.publicKey.export({ format: 'jwk' })),
  );
  /** Our data source for public security's subgraph, fetching through `fetcher`. */
  const signingSource = (fetcher: Fetcher) =>
    new SigningDataSource(
      'public_security',
      'http://127.0.0.1:9/graphql',
      privateKey,
      fetcher,
      new DepartmentVerifyKeys(keysDir),
    );
  /** What the subgraph answers a fetch: its extensions, made from the fetch's hand-back nonce. */
  let answer: (nonce: string) => Record<string, unknown> = () => ({});
  const source = signingSource(async (url, init) => {
    const token = (init?.headers as Record<string, string>)['x-govdata-context']!;
    const extensions = answer(String(claimsOf(token).hb));
    const body = JSON.stringify({ data: { person: { name: '张三' } }, extensions });
    return new TextResponse(url, 200, { 'content-type': 'application/json' }, body);
  });
  const context = (requestId = 'req-1') =>
    ({
      identity: {
        caller: {
          department: 'civil_affairs',
          application: 'relief',
          user: 'u1',
          roles: ['APP_DEVELOPER'],
        },
        purpose: 'social-assistance',
        grantId: null,
        requestId,
        correlationId: 'client-7',
        operationName: 'Person',
      },
      masked: false,
      accessRecords: [],
      subgraphFetches: 0,
    }) as unknown as GatewayContext;

  /**
   * One operation's fetch through `source` as an executor asks for it: by
   * default a person's name for `context()`, the client having sent no
   * headers, under no cache policy.
   */
  const fetchThrough = (
    through: GraphQLDataSource<GatewayContext>,
    {
      request = { query: '{ person { name } }', variables: {} },
      ctx = context(),
      clientHeaders = {},
      overallCachePolicy,
    }: {
      request?: { query: string; variables: Record<string, unknown> };
      ctx?: GatewayContext;
      clientHeaders?: Record<string, string>;
      overallCachePolicy?: { restrict(hint: unknown): void };
    } = {},
  ): Promise<GatewayGraphQLResponse> =>
    through.process({
      kind: 'incoming operation',
      request,
      context: ctx,
      incomingRequestContext: {
        request: { http: { headers: new Headers(clientHeaders) } },
        overallCachePolicy,
      },
    } as never);

  /**
   * One fetch through the data source, the subgraph answering with
   * `extensions(nonce)` for the hand-back nonce the fetch's signed token
   * carried; the nonce and the response the executor would get.
   */
  async function fetchWith(
    ctx: GatewayContext,
    extensions: (nonce: string) => Record<string, unknown>,
  ): Promise<{ nonce: string; response: GatewayGraphQLResponse }> {
    let nonce = '';
    answer = (sent) => extensions((nonce = sent));
    const response = await fetchThrough(source, { ctx });
    return { nonce, response };
  }
  /** The subgraph's records of `ctx`'s request, signed by public security for `nonce`. */
  const signedFor = (ctx: GatewayContext, nonce: string, change: Partial<AuditEntry> = {}) =>
    department.attest([{ ...UNSIGNED, requestId: ctx.identity.requestId, ...change }], nonce);

  it('keeps the fetch’s signed records for the REQUEST commit and passes none of them on', async () => {
    const ctx = context();
    let records: AuditEntry[] = [];
    const { nonce, response } = await fetchWith(ctx, (nonce) => ({
      govdataAccessRecords: (records = signedFor(ctx, nonce)),
      govdataAccessMasked: true,
    }));
    expect(ctx.accessRecords).toEqual(records);
    expect(ctx.accessRecords[0]!.attestation).toMatch(new RegExp(`^v1\\.${nonce}\\.`));
    expect(ctx.masked).toBe(true);
    expect(response.data).toEqual({ person: { name: '张三' } });
    expect(response.extensions).not.toHaveProperty('govdataAccessRecords');
  });

  it('fails the fetch on a record of another consumer, and keeps nothing of it', async () => {
    const ctx = context();
    await expect(
      fetchWith(ctx, (nonce) => ({
        govdataAccessRecords: signedFor(ctx, nonce, { consumerDepartment: 'market_supervision' }),
      })),
    ).rejects.toThrow(/consumerDepartment/);
    expect(ctx.accessRecords).toEqual([]);
  });

  it.each<[string, (ctx: GatewayContext, nonce: string) => AuditEntry[], RegExp]>([
    [
      'altered after signing',
      (ctx, nonce) => signedFor(ctx, nonce).map((r) => ({ ...r, itemsMasked: [] })),
      /not the department's signature/,
    ],
    [
      'signed with another department’s key',
      (ctx, nonce) =>
        new AttestingAuditSink(department, cityWater.privateKey).attest(
          [{ ...UNSIGNED, requestId: ctx.identity.requestId }],
          nonce,
        ),
      /another key/,
    ],
    [
      'replayed from an earlier fetch of the same request',
      (ctx) => signedFor(ctx, 'nonce-of-an-earlier-fetch'),
      /another fetch/,
    ],
    ['unsigned', (ctx) => [{ ...UNSIGNED, requestId: ctx.identity.requestId }], /no attestation/],
  ])(
    'the attack: a handed-back record %s fails the fetch, and nothing of it is kept',
    async (_, forge, why) => {
      const ctx = context();
      await expect(
        fetchWith(ctx, (nonce) => ({ govdataAccessRecords: forge(ctx, nonce) })),
      ).rejects.toThrow(why);
      expect(ctx.accessRecords).toEqual([]);
    },
  );

  it('the attack: a record replayed from another request’s fetch fails the fetch', async () => {
    const earlier = context('req-0');
    let replayed: AuditEntry[] = [];
    await fetchWith(earlier, (nonce) => {
      replayed = signedFor(earlier, nonce);
      return {};
    });
    const ctx = context('req-1');
    await expect(fetchWith(ctx, () => ({ govdataAccessRecords: replayed }))).rejects.toThrow(
      /requestId/,
    );
    expect(ctx.accessRecords).toEqual([]);
  });

  it('makes each token with the key shared with the department, or signs it while there is none', async () => {
    const headerOf = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string };
    const tokens: string[] = [];
    const record: Fetcher = async (url, init) => {
      tokens.push((init?.headers as Record<string, string>)['x-govdata-context']!);
      return new TextResponse(url, 200, { 'content-type': 'application/json' }, '{"data":{}}');
    };
    await fetchThrough(signingSource(record));
    expect(headerOf(tokens[0]!).alg).toBe('HS256');
    // Another department's subgraph holds another key: the token opens there under neither.
    expect(() =>
      openCompactJws(tokens[0]!, new GatewayTokenKeys(publicKey, cityWater.privateKey)),
    ).toThrow(/MAC does not verify/);

    // City water's verify key is not provisioned: its fetches are signed, and its key is
    // looked for again a minute later.
    const water = new SigningDataSource(
      'city_water',
      'http://127.0.0.1:9/graphql',
      privateKey,
      record,
      new DepartmentVerifyKeys(keysDir),
    );
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await fetchThrough(water);
      expect(headerOf(tokens[1]!).alg).toBe('EdDSA');
      expect(openCompactJws(tokens[1]!, publicKey).rid).toBe('req-1');
      writeFileSync(
        join(keysDir, 'city_water.jwk.json'),
        JSON.stringify(cityWater.publicKey.export({ format: 'jwk' })),
      );
      await fetchThrough(water);
      expect(headerOf(tokens[2]!).alg).toBe('EdDSA');
      vi.setSystemTime(Date.now() + 61_000);
      await fetchThrough(water);
      expect(headerOf(tokens[3]!).alg).toBe('HS256');
      const claims = openCompactJws(
        tokens[3]!,
        new GatewayTokenKeys(publicKey, cityWater.privateKey),
      );
      expect(claims.aud).toBe('city_water');
    } finally {
      vi.useRealTimers();
    }
  });

  it('signs each fetch for the exact body it sends, under a nonce of its own', async () => {
    const sent: { token: string; body: string }[] = [];
    const recording = signingSource(async (url, init) => {
      const headers = init?.headers as Record<string, string>;
      sent.push({ token: headers['x-govdata-context']!, body: String(init?.body) });
      return new TextResponse(url, 200, { 'content-type': 'application/json' }, '{"data":{}}');
    });
    for (const idNumber of ['110101199003070011', '110101199003070012']) {
      await fetchThrough(recording, {
        request: {
          query: 'query P($id: String!) { person(idNumber: $id) { name } }',
          variables: { id: idNumber },
        },
      });
    }
    const [first, second] = sent.map(({ token, body }) => ({
      claims: claimsOf(token),
      body,
    }));
    expect(first!.claims.bh).toBe(bodyHash(first!.body));
    expect(second!.claims.bh).toBe(bodyHash(second!.body));
    expect(first!.claims.bh).not.toBe(second!.claims.bh);
    expect(first!.claims.hb).not.toBe(second!.claims.hb);
    expect(JSON.parse(first!.body)).toEqual({
      query: 'query P($id: String!) { person(idNumber: $id) { name } }',
      variables: { id: '110101199003070011' },
    });
  });

  describe('answers as RemoteGraphQLDataSource would, which it no longer runs for operations', () => {
    /** `source`'s answer to a fetch the subgraph answers with `status`, `headers` and `body`, or its error. */
    async function through(
      make: (fetcher: Fetcher) => GraphQLDataSource<GatewayContext>,
      status: number,
      headers: Record<string, string>,
      body: string,
    ) {
      const restricted: unknown[] = [];
      const source = make(async (url) => new TextResponse(url, status, headers, body));
      const overallCachePolicy = { restrict: (hint: unknown) => restricted.push(hint) };
      const outcome = await fetchThrough(source, { overallCachePolicy }).then(
        // The fetch's response rides along as `http`: compared by its status.
        (response) => ({ response: { ...response, http: response.http?.status } }),
        (error: GraphQLError) => ({
          error: { message: error.message, extensions: error.extensions },
        }),
      );
      return { outcome, restricted };
    }
    const library = (fetcher: Fetcher) =>
      new RemoteGraphQLDataSource<GatewayContext>({ url: 'http://127.0.0.1:9/graphql', fetcher });

    it.each<[string, number, Record<string, string>, string]>([
      ['an answer', 200, { 'content-type': 'application/json' }, '{"data":{"person":null}}'],
      [
        'an answer with errors',
        200,
        { 'content-type': 'application/graphql-response+json; charset=utf-8' },
        '{"data":null,"errors":[{"message":"no","path":["person"]}]}',
      ],
      ['401 with a JSON body', 401, { 'content-type': 'application/json' }, '{"errors":[]}'],
      ['403 as text', 403, { 'content-type': 'text/plain' }, 'forbidden'],
      ['503 without a content type', 503, {}, 'down'],
      ['a body that is not an object', 200, { 'content-type': 'text/plain' }, 'plain words'],
      ['a JSON array', 200, { 'content-type': 'application/json' }, '[1,2]'],
      [
        'a cache-control header',
        200,
        { 'content-type': 'application/json', 'cache-control': 'private, max-age=60' },
        '{"data":{}}',
      ],
      [
        'a quoted max-age',
        200,
        { 'content-type': 'application/json', 'cache-control': 'public , max-age = "30"' },
        '{"data":{}}',
      ],
    ])('%s', async (_, status, headers, body) => {
      const expected = await through(library, status, headers, body);
      const actual = await through(signingSource, status, headers, body);
      expect(actual.outcome).toEqual(expected.outcome);
      expect(actual.restricted).toEqual(expected.restricted);
    });
  });

  it('passes on only the allow-listed client headers, never the client’s credential', async () => {
    let sent: Record<string, string> = {};
    const recording = signingSource(async (url, init) => {
      sent = init?.headers as Record<string, string>;
      return new TextResponse(url, 200, { 'content-type': 'application/json' }, '{"data":{}}');
    });
    await fetchThrough(recording, {
      clientHeaders: {
        authorization: 'Bearer client-token',
        cookie: 'session=1',
        'accept-language': 'zh-CN',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-govdata-context': 'a token the client made up',
      },
    });
    expect(Object.keys(sent).sort()).toEqual([
      'accept-language',
      'content-type',
      'traceparent',
      'x-govdata-context',
      'x-request-id',
    ]);
    expect(sent['x-govdata-context']).not.toBe('a token the client made up');
    expect(sent['x-request-id']).toBe('req-1');
  });
});
