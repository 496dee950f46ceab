import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asKeyObject,
  bodyHash,
  DepartmentVerifyKeys,
  FetchMac,
  INTERNAL_ISSUER,
  SEALED_ANSWER_TYPE,
  loadOrCreateSigningKeys,
  newHandBackNonce,
  signInternalToken,
  verifyAuditChains,
  type PlatformKey,
  type RequestIdentity,
} from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personAt } from '../../subgraphs/demo-data/index.ts';
import {
  startTestPlatform,
  testConfig,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';
import { availableEngines } from '../support/testDatabase.ts';

/**
 * Issue 11, findings 7 and 8, as attacks. The audit trail must state what the
 * caller received under an id the platform made (a client cannot merge, hide
 * or misstate its requests), and a gateway-to-subgraph token must serve only
 * the one fetch it was signed for. Each test fails if the attack works.
 */

const PERSON = personAt(DEMO_PERSON_INDEX);
const ENGINES = await availableEngines();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Answer<T = Record<string, unknown>> extends GraphQLResponse<T> {
  /** The X-Request-Id the gateway answered with. */
  requestId: string | null;
}

interface AuditNode {
  kind: string;
  requestId: string;
  correlationId: string | null;
  dataset: string | null;
  decision: string;
  reason: string | null;
  grantId: string | null;
  itemsReturned: string[];
  itemsMasked: string[];
  itemsDenied: string[];
  recordCount: number;
  verifications: number;
  verifiedItems: string[];
  verificationsMatched: number;
}

const RECORDS = `query($f: AuditFilter) {
  auditRecords(filter: $f, first: 500) {
    nodes { kind requestId correlationId dataset decision reason grantId itemsReturned itemsMasked
      itemsDenied recordCount verifications verifiedItems verificationsMatched }
  }
}`;

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let gatewayKey: PlatformKey;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    platform = await startTestPlatform(engine);
    config = testConfig(platform.database);
    gatewayKey = (
      await loadOrCreateSigningKeys(
        config.auth.gatewayPrivateKeyFile,
        config.auth.gatewayPublicKeyFile,
      )
    ).privateKey;
  });
  afterAll(() => platform?.close());

  /** POSTs to the gateway as a client would, keeping the X-Request-Id answered. */
  async function ask<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string>,
  ): Promise<Answer<T>> {
    const response = await fetch(platform.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
    return { status: response.status, requestId: response.headers.get('x-request-id'), ...body };
  }

  async function reviewer() {
    return {
      authorization: `Bearer ${await platform.token({ department: 'data_office', roles: ['REVIEWER'] })}`,
    };
  }

  async function records(filter: Record<string, unknown>): Promise<AuditNode[]> {
    const response = await platform.query<{ auditRecords: { nodes: AuditNode[] } }>(
      RECORDS,
      { f: filter },
      await reviewer(),
    );
    expect(response.errors).toBeUndefined();
    return response.data!.auditRecords.nodes;
  }

  const civilAffairs = (correlationId: string) =>
    platform
      .as('civil_affairs', 'social-assistance')
      .then((h) => ({ ...h, 'x-request-id': correlationId }));

  describe('finding 7: the audit trail states what the caller received', () => {
    it('the attack: a list whose every item was denied is DENIED with no records, not ALLOWED with 20', async () => {
      const answer = await ask<{ persons: { nodes: { phone: string | null }[] } }>(
        `{ persons(first: 20) { nodes { phone } } }`,
        {},
        await civilAffairs('f7-all-denied'),
      );
      // Only errors came back.
      expect(answer.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(answer.data ?? null)).not.toMatch(/1[3-9]\d{9}/);
      const trail = await records({ correlationId: 'f7-all-denied' });
      const access = trail.filter((r) => r.kind === 'ACCESS');
      expect(access).toHaveLength(1);
      expect(access[0]).toMatchObject({
        dataset: 'PS-POP-001',
        decision: 'DENIED',
        recordCount: 0,
        itemsReturned: [],
        itemsDenied: ['phone'],
      });
      expect(trail.find((r) => r.kind === 'REQUEST')).toMatchObject({ decision: 'DENIED' });
    });

    it('the attack: a partly denied request that got data is PARTIAL, not ERROR', async () => {
      const answer = await ask<{ person: { name: string; phone: string | null } }>(
        `query($id: String!) { person(idNumber: $id) { name phone } }`,
        { id: PERSON.id_number },
        await civilAffairs('f7-partial'),
      );
      expect(answer.data?.person).toEqual({ name: PERSON.name, phone: null });
      const trail = await records({ correlationId: 'f7-partial' });
      expect(trail.find((r) => r.kind === 'REQUEST')).toMatchObject({
        decision: 'PARTIAL',
        reason: 'FORBIDDEN',
      });
      expect(trail.find((r) => r.kind === 'ACCESS')).toMatchObject({
        dataset: 'PS-POP-001',
        decision: 'PARTIAL',
        reason: 'NO_GRANT',
        recordCount: 1,
        itemsReturned: ['name'],
        itemsDenied: ['phone'],
        grantId: 'G-DEMO-CA-POP',
      });
    });

    it('the attack: ten requests sharing one X-Request-Id are ten requests, in the trail and on the scorecard', async () => {
      const headers = {
        ...(await platform.as('market_supervision', 'enterprise-registration')),
        'x-request-id': 'f7-shared-id',
      };
      const query = `query($id: String!) { person(idNumber: $id) { name } }`;
      const served = async () => {
        const today = new Date();
        const day = (offset: number) =>
          new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
        const card = await platform.query<{
          departmentScorecard: { accesses: { byDataset: { dataset: string; served: number }[] } };
        }>(
          `query($from: String!, $to: String!) { departmentScorecard(department: "public_security", from: $from, to: $to) { accesses { byDataset { dataset served } } } }`,
          { from: day(-1), to: day(2) },
          await reviewer(),
        );
        expect(card.errors).toBeUndefined();
        return (
          card.data!.departmentScorecard.accesses.byDataset.find((d) => d.dataset === 'PS-POP-001')
            ?.served ?? 0
        );
      };
      const before = await served();
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const answer = await ask(query, { id: PERSON.id_number }, headers);
        expect(answer.errors).toBeUndefined();
        ids.push(answer.requestId!);
      }
      expect(new Set(ids).size).toBe(10);
      for (const id of ids) expect(id).toMatch(UUID);
      const trail = await records({ correlationId: 'f7-shared-id', kind: 'REQUEST' });
      expect(trail.map((r) => r.requestId).sort()).toEqual([...ids].sort());
      expect(await served()).toBe(before + 10);
    });

    it('a lookup whose every item is denied is DENIED with no records, and so is its REQUEST', async () => {
      await ask(
        `query($id: String!) { person(idNumber: $id) { phone } }`,
        { id: PERSON.id_number },
        await civilAffairs('f7-lookup-denied'),
      );
      const trail = await records({ correlationId: 'f7-lookup-denied' });
      expect(trail.find((r) => r.kind === 'ACCESS')).toMatchObject({
        decision: 'DENIED',
        recordCount: 0,
        itemsReturned: [],
      });
      expect(trail.find((r) => r.kind === 'REQUEST')).toMatchObject({ decision: 'DENIED' });
    });

    it('masked without a denial is MASKED, on the ACCESS and on the REQUEST record', async () => {
      const answer = await ask(
        `query($id: String!) { person(idNumber: $id) { name birthDate } }`,
        { id: PERSON.id_number },
        await civilAffairs('f7-masked'),
      );
      expect(answer.errors).toBeUndefined();
      // The subgraph's note to the gateway never reaches the client.
      expect(JSON.stringify(answer)).not.toContain('govdata');
      const trail = await records({ correlationId: 'f7-masked' });
      expect(trail.find((r) => r.kind === 'ACCESS')).toMatchObject({
        decision: 'MASKED',
        recordCount: 1,
        itemsMasked: ['birthDate'],
      });
      expect(trail.find((r) => r.kind === 'REQUEST')).toMatchObject({ decision: 'MASKED' });
    });

    it('a verification is recorded with its items and whether it matched', async () => {
      const answer = await ask<{ yes: boolean; no: boolean }>(
        `query($id: String!, $n: String!, $m: String!) {
          yes: verifyPerson(idNumber: $id, match: { name: $n })
          no: verifyPerson(idNumber: $id, match: { name: $m })
        }`,
        { id: PERSON.id_number, n: PERSON.name, m: `${PERSON.name}X` },
        await civilAffairs('f7-verify'),
      );
      expect(answer.data).toEqual({ yes: true, no: false });
      const access = (await records({ correlationId: 'f7-verify', kind: 'ACCESS' }))[0];
      expect(access).toMatchObject({
        dataset: 'PS-POP-001',
        decision: 'ALLOWED',
        verifications: 2,
        verifiedItems: ['name'],
        verificationsMatched: 1,
        recordCount: 0,
      });
    });

    it('a client cannot file its request under another request: its X-Request-Id is only a correlation id', async () => {
      const victim = await ask(
        `query($id: String!) { person(idNumber: $id) { name } }`,
        { id: PERSON.id_number },
        await civilAffairs('f7-victim'),
      );
      const intruder = await ask(
        `query($id: String!) { person(idNumber: $id) { phone } }`,
        { id: PERSON.id_number },
        {
          ...(await platform.as('transport', 'road-safety')),
          'x-request-id': victim.requestId!,
        },
      );
      expect(intruder.requestId).not.toBe(victim.requestId);
      const underVictim = await records({ requestId: victim.requestId });
      expect(underVictim.length).toBeGreaterThan(0);
      expect(underVictim.every((r) => r.correlationId === 'f7-victim')).toBe(true);
      expect(underVictim.map((r) => r.decision)).not.toContain('DENIED');
    });

    it('refused requests get a platform id too: header, every error, and the REFUSED record', async () => {
      const refused = await ask(
        `{ persons(first: 1) { nodes { name } } }`,
        {},
        {
          authorization: 'Bearer not-a-token',
          'x-request-id': 'f7-refused',
        },
      );
      expect(refused.status).toBe(401);
      expect(refused.requestId).toMatch(UUID);
      expect(refused.errors?.map((e) => e.extensions?.requestId)).toEqual([refused.requestId]);
      const [record] = await records({ requestId: refused.requestId });
      expect(record).toMatchObject({
        kind: 'REQUEST',
        decision: 'REFUSED',
        reason: 'UNAUTHENTICATED',
      });

      const badId = await ask(
        `{ persons(first: 1) { nodes { name } } }`,
        {},
        {
          ...(await civilAffairs('f7 has spaces and is far too long to be an id '.repeat(3))),
        },
      );
      expect(badId.status).toBe(400);
      expect(badId.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        requestId: badId.requestId,
      });
      // What the header may hold, so the caller can fix it; not the value sent.
      expect(badId.errors?.[0]?.message).toBe(
        'X-Request-Id has characters or a length it may not have: it allows ASCII letters, digits and . _ : -, at most 64.',
      );
      expect(await records({ requestId: badId.requestId })).toMatchObject([
        { decision: 'REFUSED', reason: 'BAD_USER_INPUT' },
      ]);

      const partial = await ask(
        `query($id: String!) { person(idNumber: $id) { name phone } }`,
        { id: PERSON.id_number },
        await civilAffairs('f7-error-ids'),
      );
      expect(partial.errors?.map((e) => e.extensions?.requestId)).toEqual([partial.requestId]);
      const unparsable = await fetch(platform.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{not json',
      });
      const unparsed = (await unparsable.json()) as GraphQLResponse;
      expect(unparsable.status).toBe(400);
      expect(unparsed.errors?.[0]?.extensions?.requestId).toBe(
        unparsable.headers.get('x-request-id'),
      );
    });

    it('the hash chain covers the correlation id: rewriting it is detected, records without one still verify', async () => {
      await ask(
        `query($id: String!) { person(idNumber: $id) { name } }`,
        { id: PERSON.id_number },
        await civilAffairs('f7-chain'),
      );
      await platform.query(`{ catalogueEntries(first: 1) { nodes { code } } }`, {});
      expect((await verifyAuditChains(platform.platformDb)).problems).toEqual([]);
      const db = platform.platformDb;
      const [row] = await db<{ id: number; correlation_id: string; kind: string }>('audit_records')
        .where({ correlation_id: 'f7-chain', kind: 'REQUEST' })
        .select('id');
      await db('audit_records').where({ id: row!.id }).update({ correlation_id: 'someone-else' });
      try {
        const after = await verifyAuditChains(db);
        expect(after.problems).toEqual([
          expect.objectContaining({
            recordId: Number(row!.id),
            problem: expect.stringContaining('edited'),
          }),
        ]);
      } finally {
        await db('audit_records').where({ id: row!.id }).update({ correlation_id: 'f7-chain' });
      }
      expect((await verifyAuditChains(db)).ok).toBe(true);
    });
  });

  describe('finding 8: a captured internal token serves only its own fetch', () => {
    const LOOKUP = `query ($id: String!) { person(idNumber: $id) { name phone } }`;
    const OTHER = personAt(DEMO_PERSON_INDEX + 1);
    const provider: RequestIdentity = {
      caller: {
        department: 'public_security',
        application: null,
        user: null,
        roles: ['APP_DEVELOPER'],
      },
      purpose: null,
      grantId: null,
      requestId: '00000000-0000-4000-8000-000000000008',
      correlationId: null,
      operationName: null,
    };
    const subgraphUrl = (name: string) => platform.subgraphs.find((s) => s.name === name)!.url;

    /** POSTs `body` as is to a subgraph with `token`. */
    async function replay(url: string, token: string, body: string): Promise<GraphQLResponse> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-govdata-context': token },
        body,
      });
      return { status: response.status, ...((await response.json()) as object) };
    }

    function expectRefused(response: GraphQLResponse, ...secrets: string[]) {
      expect(response.status).toBe(401);
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      for (const secret of secrets) expect(JSON.stringify(response)).not.toContain(secret);
    }

    /** A token "captured" from the gateway's fetch of `body` to public_security. */
    const captured = (body: string, audience = 'public_security') =>
      signInternalToken(provider, audience, gatewayKey, body);

    const lookupBody = (id: string) => JSON.stringify({ query: LOOKUP, variables: { id } });

    it('control: the fetch it was signed for answers (an identical replay within 10 s repeats it)', async () => {
      const body = lookupBody(PERSON.id_number);
      const token = await captured(body);
      for (let i = 0; i < 2; i++) {
        const response = await replay(subgraphUrl('public_security'), token, body);
        expect(response.status).toBe(200);
        expect(response.data).toEqual({ person: { name: PERSON.name, phone: PERSON.phone } });
      }
    });

    /** The key the gateway and public_security's department share, as the gateway's fetches use it. */
    const fetchMac = () =>
      FetchMac.between(
        asKeyObject(gatewayKey),
        new DepartmentVerifyKeys(config.auth.departmentKeys.verifyDir).departmentKey(
          'public_security',
        ),
      )!;

    const storedFor = async (requestId: string) =>
      Number(
        (
          await platform
            .platformDb('audit_records')
            .where({ request_id: requestId })
            .count({ n: '*' })
        )[0]!.n,
      );

    it('the attack: a captured fetch that asked for its ACCESS records back, replayed where its token is new (another replica), yields nothing readable', async () => {
      // The gateway's fetches ask the subgraph to hand its ACCESS records back, for
      // the gateway to commit with its REQUEST record. A process honours that once per
      // token; replayed to another replica, where the token is new, it is honoured
      // again — and the records go to whoever replayed it, never committed. So such an
      // answer is sealed for the gateway that made the token: the replay is this
      // test's first sight of the token here, as it would be another replica's.
      const body = lookupBody(PERSON.id_number);
      const asked = { ...provider, requestId: '00000000-0000-4000-8000-000000000009' };
      const nonce = newHandBackNonce();
      const token = await signInternalToken(asked, 'public_security', fetchMac(), body, {
        handBackNonce: nonce,
      });
      const response = await fetch(subgraphUrl('public_security'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-govdata-context': token },
        body,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(SEALED_ANSWER_TYPE);
      const sealed = Buffer.from(await response.arrayBuffer());
      for (const secret of [PERSON.phone, PERSON.name, 'govdataAccessRecords', 'PS-POP-001']) {
        expect(sealed.toString('latin1')).not.toContain(Buffer.from(secret).toString('latin1'));
      }
      expect(await storedFor(asked.requestId)).toBe(0);
      // Only the gateway that made the token opens it, with the records it commits first.
      const opened = JSON.parse(fetchMac().openAnswer(nonce, sealed)) as GraphQLResponse & {
        extensions?: { govdataAccessRecords?: { requestId: string; datasetCode: string }[] };
      };
      expect(opened.data).toEqual({ person: { name: PERSON.name, phone: PERSON.phone } });
      expect(
        opened.extensions?.govdataAccessRecords?.map((r) => [r.requestId, r.datasetCode]),
      ).toEqual([[asked.requestId, 'PS-POP-001']]);
      // Where the token is known, the replay is answered plainly and recorded by the subgraph itself.
      const again = await replay(subgraphUrl('public_security'), token, body);
      expect(again.data).toEqual({ person: { name: PERSON.name, phone: PERSON.phone } });
      expect((again as { extensions?: Record<string, unknown> }).extensions).toBeUndefined();
      expect(await storedFor(asked.requestId)).toBe(1);
      // Committed by the subgraph itself: signed by its department, for no fetch's nonce.
      const [record] = await platform
        .platformDb<{ request_id: string; attestation: string | null }>('audit_records')
        .where({ request_id: asked.requestId })
        .select('attestation');
      expect(record!.attestation).toMatch(/^v1\.\.[\w-]{86}$/);
    });

    it('the attack: a captured signed fetch that asked for its records back is recorded by the subgraph, never handed back', async () => {
      // A signed token (the gateway's key, not the MAC key it shares with the
      // department) leaves no key to seal the answer under: such a fetch is recorded
      // by the subgraph before it answers, the first time as every other.
      const body = lookupBody(PERSON.id_number);
      const asked = { ...provider, requestId: '00000000-0000-4000-8000-000000000010' };
      const token = await signInternalToken(asked, 'public_security', gatewayKey, body, {
        handBackNonce: newHandBackNonce(),
      });
      const first = await replay(subgraphUrl('public_security'), token, body);
      expect(first.data).toEqual({ person: { name: PERSON.name, phone: PERSON.phone } });
      expect((first as { extensions?: Record<string, unknown> }).extensions).toBeUndefined();
      expect(await storedFor(asked.requestId)).toBe(1);
    });

    it('the attack: replayed with other variables, it is refused with 401 and nothing answered', async () => {
      const token = await captured(lookupBody(PERSON.id_number));
      expectRefused(
        await replay(subgraphUrl('public_security'), token, lookupBody(OTHER.id_number)),
        OTHER.name,
        OTHER.phone,
      );
    });

    it('replayed with another operation (a whole list), it is refused', async () => {
      const token = await captured(lookupBody(PERSON.id_number));
      const list = JSON.stringify({ query: `{ persons(first: 100) { nodes { name phone } } }` });
      expectRefused(await replay(subgraphUrl('public_security'), token, list), OTHER.name);
    });

    it('replayed with the same operation re-ordered or re-spaced, it is refused', async () => {
      const body = lookupBody(PERSON.id_number);
      const token = await captured(body);
      const reordered = JSON.stringify({ variables: { id: PERSON.id_number }, query: LOOKUP });
      for (const other of [reordered, ` ${body}`, body.replace('"id":', '"id" :')]) {
        expectRefused(await replay(subgraphUrl('public_security'), token, other), PERSON.phone);
      }
    });

    it('replayed to another subgraph, or to the platform subgraph, it is refused', async () => {
      const body = JSON.stringify({ query: `{ enterprises(first: 5) { nodes { name } } }` });
      const token = await captured(body);
      expectRefused(await replay(subgraphUrl('market_supervision'), token, body));
      const platformUrl = platform.platformSubgraph.url;
      const audit = JSON.stringify({ query: `{ auditRecords(first: 5) { nodes { id } } }` });
      const platformToken = await captured(audit, 'platform');
      expectRefused(
        await replay(platformUrl, platformToken, JSON.stringify({ query: `{ grants { id } }` })),
      );
    });

    it('bound to an empty body and sent as a GET with the operation in the URL, it is refused', async () => {
      const token = await captured('');
      const url = new URL(subgraphUrl('public_security'));
      url.searchParams.set('query', `{ persons(first: 5) { nodes { name phone } } }`);
      const response = await fetch(url, {
        headers: { 'x-govdata-context': token, 'apollo-require-preflight': 'true' },
      });
      expectRefused(
        { status: response.status, ...((await response.json()) as object) },
        PERSON.phone,
      );
    });

    it('after its lifetime (10 s, 5 s of clock tolerance), or without a body hash, it is refused', async () => {
      const body = lookupBody(PERSON.id_number);
      const now = Math.floor(Date.now() / 1000);
      const sign = (claims: Record<string, unknown>, iat: number, exp: number) =>
        new SignJWT({ rid: 'r', dept: 'public_security', roles: ['APP_DEVELOPER'], ...claims })
          .setProtectedHeader({ alg: 'EdDSA' })
          .setIssuer(INTERNAL_ISSUER)
          .setAudience('public_security')
          .setIssuedAt(iat)
          .setExpirationTime(exp)
          .sign(gatewayKey);
      const url = subgraphUrl('public_security');
      // Control: the same claims, fresh, are accepted.
      expect(
        (await replay(url, await sign({ bh: bodyHash(body) }, now, now + 10), body)).status,
      ).toBe(200);
      for (const token of [
        await sign({ bh: bodyHash(body) }, now - 20, now - 10),
        // An old token claiming a long life.
        await sign({ bh: bodyHash(body) }, now - 20, now + 600),
        // A token of the old kind, bound to no body.
        await sign({}, now, now + 10),
      ]) {
        expectRefused(await replay(url, token, body), PERSON.phone);
      }
    });
  });
});
