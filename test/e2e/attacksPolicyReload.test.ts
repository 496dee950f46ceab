import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  deleteDatasetPolicy,
  deleteGrants,
  insertGrant,
  insertGrants,
  newGrant,
  openDatabase,
  revokeGrant,
  selectPolicyChangeHead,
  updateDatasetPolicy,
  upsertDatasetPolicy,
  type Grant,
} from '../../server/index.ts';
import { decideAccess, PolicyStore } from '../../subgraphs/kit/access/index.ts';
import { DEMO_PERSON_INDEX, personAt } from '../../subgraphs/demo-data/index.ts';
import { availableEngines } from '../support/testDatabase.ts';
import {
  startTestPlatform,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

/**
 * Attacks on the incremental policy reload: every replica reads only the
 * grants and sharing decisions the change log names, so each way a grant can
 * stop holding — revoked, edited, deleted, its dataset's sharing type changed
 * or its decision deleted, its window passing with no row changing — must be
 * in force at the next reload after it commits, never only at the next full
 * reload. The platform here runs with full reloads switched off (one a day),
 * so what the gateway answers is the incremental path's doing; a second
 * replica, on its own connection, is driven one reload at a time to show that
 * a single reload after the commit is enough, and that it was a reload of
 * the changes, not of everything.
 */

const ENGINES = await availableEngines();
const PERSON = personAt(DEMO_PERSON_INDEX);
const PERSON_QUERY = `query ($id: String!) { person(idNumber: $id) { name regionCode } }`;
const ENTERPRISE_QUERY = `{ enterprises(first: 1) { nodes { creditCode } } }`;
const DAY = 86_400_000;

describe.each(ENGINES)('incremental policy reload (%s)', (engine) => {
  let platform: TestPlatform;
  let replicaDb: Knex;
  let replica: PolicyStore;

  beforeAll(async () => {
    platform = await startTestPlatform(engine, {}, (config) => ({
      ...config,
      policyReload: { intervalMs: 250, fullReloadMs: DAY },
    }));
    // Another replica: its own connection, reloaded by hand, never fully after the first time.
    replicaDb = await openDatabase(platform.database.config, 'platform');
    replica = new PolicyStore(replicaDb, createLogger({ logLevel: 'silent' }), {
      fullReloadMs: DAY,
    });
    await replica.reload();
  });

  afterAll(async () => {
    await replicaDb?.destroy();
    await platform?.close();
  });

  const admin = () =>
    platform
      .token({ department: 'data_office', roles: ['ADMIN'], user: 'qian' })
      .then((token) => ({ authorization: `Bearer ${token}` }));

  /** A grant of PS-POP-001's name and region code to `department`, created by the admin API. */
  async function grantThroughApi(department: string): Promise<{ id: string; version: number }> {
    const created = await platform.query<{ createGrant: { id: string; version: number } }>(
      `mutation ($input: GrantInput!) { createGrant(input: $input, reason: "reload test") { id version } }`,
      {
        input: {
          consumerDepartment: department,
          dataset: 'PS-POP-001',
          conditions: {
            items: ['name', 'regionCode'],
            purposes: ['audit'],
            modes: ['QUERY'],
            validFrom: '2020-01-01T00:00:00.000Z',
            validUntil: '2099-12-31T23:59:59.999Z',
          },
        },
      },
      await admin(),
    );
    expect(created.errors, JSON.stringify(created.errors)).toBeUndefined();
    return created.data!.createGrant;
  }

  const readPerson = async (department: string) =>
    platform.query<{ person: { name: string | null; regionCode: string } | null }>(
      PERSON_QUERY,
      { id: PERSON.id_number },
      await platform.as(department, 'audit'),
    );

  /** Polls `check` every 100 ms, never forcing a reload; the ms it took, or fails after 5 s. */
  async function msUntil(check: () => Promise<boolean>): Promise<number> {
    const started = Date.now();
    for (;;) {
      if (await check()) return Date.now() - started;
      if (Date.now() - started > 5000) throw new Error('still not in force after 5000 ms');
      await sleep(100);
    }
  }

  const denial = (response: GraphQLResponse, field: string) =>
    response.errors?.find((e) => e.path?.at(-1) === field)?.extensions;

  it('a grant revoked through the admin API is in force at the next reload, read as a change', async () => {
    const { id } = await grantThroughApi('reload_revoke');
    expect(await replica.catchUp()).toBe('changes');
    expect(replica.snapshot.grantsOf('reload_revoke', 'PS-POP-001').map((g) => g.status)).toEqual([
      'ACTIVE',
    ]);
    await msUntil(async () => (await readPerson('reload_revoke')).data?.person?.name != null);

    const revoked = await platform.query(
      `mutation ($id: ID!) { revokeGrant(id: $id, reason: "the programme ended") { status } }`,
      { id },
      await admin(),
    );
    expect(revoked.errors, JSON.stringify(revoked.errors)).toBeUndefined();
    expect(await replica.catchUp()).toBe('changes');
    expect(replica.snapshot.grantsOf('reload_revoke', 'PS-POP-001').map((g) => g.status)).toEqual([
      'REVOKED',
    ]);
    let last: GraphQLResponse | undefined;
    await msUntil(async () => {
      last = await readPerson('reload_revoke');
      return (last.data as { person: unknown } | undefined)?.person === null;
    });
    expect(denial(last!, 'person')).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_GRANT' });
    expect(JSON.stringify(last)).not.toContain(PERSON.name);
  });

  it("a grant's conditions edited through the admin API (an item taken away) are in force at the next reload", async () => {
    const { id, version } = await grantThroughApi('reload_edit');
    await msUntil(async () => (await readPerson('reload_edit')).data?.person?.name != null);
    const edited = await platform.query(
      `mutation ($id: ID!, $version: Int!, $conditions: GrantConditionsInput!) {
        updateGrant(id: $id, expectedVersion: $version, conditions: $conditions, reason: "narrowed") { version items }
      }`,
      {
        id,
        version,
        conditions: {
          items: ['regionCode'],
          purposes: ['audit'],
          modes: ['QUERY'],
          validFrom: '2020-01-01T00:00:00.000Z',
          validUntil: '2099-12-31T23:59:59.999Z',
        },
      },
      await admin(),
    );
    expect(edited.errors, JSON.stringify(edited.errors)).toBeUndefined();
    expect(await replica.catchUp()).toBe('changes');
    expect(replica.snapshot.grantsOf('reload_edit', 'PS-POP-001')[0]!.items).toEqual([
      'regionCode',
    ]);
    let last: GraphQLResponse<{ person: { name: string | null } | null }> | undefined;
    await msUntil(async () => {
      last = await readPerson('reload_edit');
      return last.data?.person?.name === null;
    });
    expect(denial(last!, 'name')).toMatchObject({ code: 'FORBIDDEN', item: 'name' });
    expect(JSON.stringify(last)).not.toContain(PERSON.name);
  });

  it('a deleted grant row is gone at the next reload', async () => {
    const { id } = await grantThroughApi('reload_delete');
    await msUntil(async () => (await readPerson('reload_delete')).data?.person?.name != null);
    expect(await deleteGrants(platform.platformDb, [id])).toBe(1);
    expect(await replica.catchUp()).toBe('changes');
    expect(replica.snapshot.grantsOf('reload_delete', 'PS-POP-001')).toEqual([]);
    let last: GraphQLResponse | undefined;
    await msUntil(async () => {
      last = await readPerson('reload_delete');
      return (last.data as { person: unknown } | undefined)?.person === null;
    });
    expect(denial(last!, 'person')).toMatchObject({ reason: 'NO_GRANT' });
  });

  it("a dataset's sharing type changed, then its decision deleted, is in force at the next reload", async () => {
    const consumer = await platform.as('reload_policy');
    const open = await platform.query(ENTERPRISE_QUERY, {}, consumer);
    expect(open.errors, JSON.stringify(open.errors)).toBeUndefined();
    try {
      await updateDatasetPolicy(
        platform.platformDb,
        'MS-ENT-001',
        { sharingType: 'NOT_SHARED' },
        'reload test',
      );
      expect(await replica.catchUp()).toBe('changes');
      expect(replica.snapshot.policy('MS-ENT-001')?.sharingType).toBe('NOT_SHARED');
      await msUntil(async () => {
        const response = await platform.query(ENTERPRISE_QUERY, {}, consumer);
        return denial(response, 'enterprises')?.reason === 'NOT_SHARED';
      });

      await updateDatasetPolicy(
        platform.platformDb,
        'MS-ENT-001',
        { sharingType: 'UNCONDITIONAL' },
        'reload test',
      );
      await deleteDatasetPolicy(platform.platformDb, 'MS-ENT-001');
      expect(await replica.catchUp()).toBe('changes');
      expect(replica.snapshot.policy('MS-ENT-001')).toBeUndefined();
      await msUntil(async () => {
        const response = await platform.query(ENTERPRISE_QUERY, {}, consumer);
        return /no sharing decision/.test(JSON.stringify(response.errors ?? []));
      });
    } finally {
      await upsertDatasetPolicy(
        platform.platformDb,
        {
          code: 'MS-ENT-001',
          department: 'market_supervision',
          sharingType: 'UNCONDITIONAL',
          modes: ['QUERY', 'VERIFY', 'EXPORT'],
        },
        'reload test',
      );
    }
    await msUntil(
      async () => (await platform.query(ENTERPRISE_QUERY, {}, consumer)).errors === undefined,
    );
  });

  it('a grant whose window ends with no row changing is refused at once, by the rules in force', async () => {
    const until = new Date(Date.now() + 2500).toISOString();
    await insertGrant(
      platform.platformDb,
      newGrant(
        {
          id: `G-RELOAD-EXPIRES-${engine}`,
          consumerDepartment: 'reload_expiry',
          datasetCode: 'PS-POP-001',
          items: ['name', 'regionCode'],
          purposes: ['audit'],
          modes: ['QUERY'],
          validFrom: '2020-01-01T00:00:00.000Z',
          validUntil: until,
        },
        'reload test',
      ),
    );
    expect(await replica.catchUp()).toBe('changes');
    await msUntil(async () => (await readPerson('reload_expiry')).data?.person?.name != null);
    await sleep(Math.max(0, Date.parse(until) - Date.now() + 50));
    // Nothing changed in the database: no reload touches the grant ...
    expect(await replica.catchUp()).toBe('unchanged');
    // ... and yet the rules refuse it, because the window is checked when deciding.
    const decision = decideAccess({
      identity: {
        caller: { department: 'reload_expiry', application: null, user: null, roles: [] },
        purpose: 'audit',
        grantId: null,
        requestId: 'reload-test',
        correlationId: null,
        operationName: null,
      },
      snapshot: replica.snapshot,
      dataset: { code: 'PS-POP-001', department: 'public_security' },
      mode: 'QUERY',
      now: new Date(),
    });
    expect(decision).toMatchObject({ allowed: false, reason: 'GRANT_EXPIRED' });
    const after = await readPerson('reload_expiry');
    expect(after.data?.person ?? null).toBeNull();
    expect(denial(after, 'person')).toMatchObject({ reason: 'GRANT_EXPIRED' });
  });

  it("a change written with a writer's clock a day off is applied all the same (order is the database's, not a clock's)", async () => {
    const grants: Grant[] = ['past', 'future'].map((when) =>
      newGrant(
        {
          id: `G-RELOAD-SKEW-${when}-${engine}`,
          consumerDepartment: `reload_skew_${when}`,
          datasetCode: 'PS-POP-001',
          items: ['name'],
          purposes: ['audit'],
          modes: ['QUERY'],
          validFrom: '2020-01-01T00:00:00.000Z',
          validUntil: '2099-12-31T23:59:59.999Z',
        },
        'reload test',
      ),
    );
    await insertGrants(platform.platformDb, grants);
    expect(await replica.catchUp()).toBe('changes');
    const future = new Date(Date.now() + DAY);
    const past = new Date(Date.now() - DAY);
    expect(await revokeGrant(platform.platformDb, grants[1]!.id, 'admin', 'skewed', future)).toBe(
      true,
    );
    expect(await revokeGrant(platform.platformDb, grants[0]!.id, 'admin', 'skewed', past)).toBe(
      true,
    );
    expect(await replica.catchUp()).toBe('changes');
    for (const when of ['past', 'future'])
      expect(replica.snapshot.grantsOf(`reload_skew_${when}`, 'PS-POP-001')[0]!.status).toBe(
        'REVOKED',
      );
  });

  it('a change committed after a later-started one is not skipped: changes queue on the counter', async () => {
    const ids = ['first', 'second'].map((n) => `G-RELOAD-ORDER-${n}-${engine}`);
    await insertGrants(
      platform.platformDb,
      ids.map((id) =>
        newGrant(
          {
            id,
            consumerDepartment: 'reload_order',
            datasetCode: 'PS-POP-001',
            items: ['name'],
            purposes: ['audit'],
            modes: ['QUERY'],
            validFrom: '2020-01-01T00:00:00.000Z',
            validUntil: '2099-12-31T23:59:59.999Z',
          },
          'reload test',
        ),
      ),
    );
    expect(await replica.catchUp()).toBe('changes');
    const head = await selectPolicyChangeHead(replicaDb);
    // The first change takes its sequence number and stays uncommitted ...
    const trx = await platform.platformDb.transaction();
    expect(await revokeGrant(trx, ids[0]!, 'admin', 'slow')).toBe(true);
    // ... while a second starts; it must not commit a later number first.
    let secondDone = false;
    const second = revokeGrant(platform.platformDb, ids[1]!, 'admin', 'fast').then((done) => {
      secondDone = true;
      return done;
    });
    await sleep(300);
    expect(secondDone).toBe(false);
    expect(await replica.catchUp()).toBe('unchanged');
    expect(await selectPolicyChangeHead(replicaDb)).toBe(head);
    await trx.commit();
    expect(await second).toBe(true);
    expect(await replica.catchUp()).toBe('changes');
    expect(
      replica.snapshot.grantsOf('reload_order', 'PS-POP-001').map((g) => [g.id, g.status]),
    ).toEqual(ids.map((id) => [id, 'REVOKED']));
  });

  it('reads everything when the log cannot say what changed: pruned past it, or too many changes', async () => {
    await insertGrant(
      platform.platformDb,
      newGrant(
        {
          id: `G-RELOAD-PRUNED-${engine}`,
          consumerDepartment: 'reload_pruned',
          datasetCode: 'PS-POP-001',
          items: ['name'],
          purposes: ['audit'],
          modes: ['QUERY'],
          validFrom: '2020-01-01T00:00:00.000Z',
          validUntil: '2099-12-31T23:59:59.999Z',
        },
        'reload test',
      ),
    );
    await platform.platformDb('policy_changes').delete();
    expect(await replica.catchUp()).toBe('full');
    expect(replica.snapshot.grantsOf('reload_pruned', 'PS-POP-001')).toHaveLength(1);

    const many = Array.from({ length: 5001 }, (_, i) =>
      newGrant(
        {
          id: `G-RELOAD-MANY-${engine}-${i}`,
          consumerDepartment: 'reload_many',
          datasetCode: 'PS-POP-001',
          items: ['name'],
          purposes: ['audit'],
          modes: ['QUERY'],
          validFrom: '2020-01-01T00:00:00.000Z',
          validUntil: '2099-12-31T23:59:59.999Z',
        },
        'reload test',
      ),
    );
    await insertGrants(platform.platformDb, many);
    expect(await replica.catchUp()).toBe('full');
    expect(replica.snapshot.grantsOf('reload_many', 'PS-POP-001')).toHaveLength(5001);
    await deleteGrants(
      platform.platformDb,
      many.map((g) => g.id),
    );
    expect(await replica.catchUp()).toBe('full');
    expect(replica.snapshot.grantsOf('reload_many', 'PS-POP-001')).toEqual([]);
  });

  it('a row changed without a log entry (by hand) is in force by the next full reload, the safety net', async () => {
    const netDb = await openDatabase(platform.database.config, 'platform');
    try {
      const net = new PolicyStore(netDb, createLogger({ logLevel: 'silent' }), {
        fullReloadMs: 1000,
      });
      await net.reload();
      const { id } = await grantThroughApi('reload_by_hand');
      await net.catchUp();
      expect(net.snapshot.grantsOf('reload_by_hand', 'PS-POP-001')[0]!.status).toBe('ACTIVE');
      await platform
        .platformDb('grants')
        .where({ id })
        .update({ status: 'REVOKED', revoked_at: new Date().toISOString() });
      await sleep(1100);
      expect(await net.catchUp()).toBe('full');
      expect(net.snapshot.grantsOf('reload_by_hand', 'PS-POP-001')[0]!.status).toBe('REVOKED');
    } finally {
      await netDb.destroy();
    }
  });
});
