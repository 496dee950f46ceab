/**
 * `govdata serve`: a department's subgraph served alone, as on the department's
 * own host — its own database, only the gateway's public key — registers its
 * URL and the platform's running gateway (never restarted) routes the
 * department's part of a query to it. The platform subgraph alone likewise.
 * On SQLite and on MariaDB.
 */
import { createPrivateKey } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DepartmentVerifyKeys,
  platformGatewayRole,
  platformHostRole,
  platformHostUserName,
  platformSubgraphRole,
  type PlatformRole,
  verifyAuditChains,
} from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import {
  insertSubgraphVersion,
  RegistrySigner,
  selectCurrentSubgraphs,
} from '../../subgraphs/platform/registry/index.ts';
import { startCommand, type CommandProcess } from '../support/commandProcess.ts';
import { availableEngines, mysqlConnection } from '../support/testDatabase.ts';
import { unrefused } from '../support/refusedAttempts.ts';
import { ok } from '../support/responses.ts';
import {
  startTestPlatform,
  TEST_SCALE,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const GOVDATA = join(ROOT, 'scripts', 'govdata.ts');
const PERSON = `query($idNumber: String!) { person(idNumber: $idNumber) { name utilityAccounts { accountNumber address } } }`;
const VARIABLES = { idNumber: personIdNumberAt(DEMO_PERSON_INDEX) };

/** POSTs a GraphQL request over a connection of its own, closed after it. */
async function postOnNewConnection(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<GraphQLResponse> {
  const agent = new Agent();
  try {
    const response = await undiciFetch(url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  } finally {
    await agent.close();
  }
}

/** Each test starts processes of its own; a busy shared machine makes that slow. */
const SLOW = 180_000;

const engines = await availableEngines();

describe.each(engines)('govdata serve on %s', (engine) => {
  let platform: TestPlatform;
  let hostDir: string;
  let env: Record<string, string>;
  /** The platform database's URL as its administrator (MySQL), for the platform's own hosts. */
  let adminUrl: string;

  /** `platformUrl` as the platform's host user of `department`, with its password. */
  function hostUrl(platformUrl: URL, department: string): URL {
    return roleUrl(platformUrl, platformHostUserName(platformUrl.pathname.slice(1), department));
  }

  /** `platformUrl` as `user`, one of the platform database's role users, with its password. */
  function roleUrl(platformUrl: URL, user: string): URL {
    const url = new URL(platformUrl);
    url.username = user;
    url.password = encodeURIComponent(
      readFileSync(join(platform.database.dir, 'keys', `mysql-${user}.password`), 'utf8').trim(),
    );
    return url;
  }
  const served: CommandProcess[] = [];

  /** `govdata serve …` as department IT runs it on its own host. */
  async function serve(args: string[], extra: Record<string, string> = {}) {
    const command = startCommand(process.execPath, ['--import', 'tsx', GOVDATA, 'serve', ...args], {
      cwd: ROOT,
      env: { ...env, ...extra },
    });
    served.push(command);
    const [, url] = await command.waitForLine(/serving (http:\/\/[^\s;]+)/);
    return { command, url: url! };
  }

  beforeAll(async () => {
    platform = await startTestPlatform(engine);
    // The department's host holds the gateway's public key, the join key and its own
    // department's audit signing key, nothing else.
    hostDir = join(platform.database.dir, 'water-host');
    mkdirSync(join(hostDir, 'keys', 'department-signing'), { recursive: true });
    for (const key of [
      'gateway-verify.jwk.json',
      'join-handles.key',
      'department-signing/city_water.jwk.json',
    ]) {
      copyFileSync(join(platform.database.dir, 'keys', key), join(hostDir, 'keys', key));
    }
    const platformUrl = engine === 'mysql' ? (platform.database.config as { url: URL }).url : null;
    const own = platformUrl ? new URL(platformUrl) : null;
    if (own) own.pathname += '_water_host';
    adminUrl = platformUrl ? String(platformUrl) : '';
    env = {
      // MySQL: the platform database as city_water's host user, which the platform made.
      DATABASE_URL: platformUrl ? String(hostUrl(platformUrl, 'city_water')) : '',
      // SQLite: the platform database is the platform's file; keys come from the host's folder.
      DATA_DIR: engine === 'sqlite' ? platform.database.dir : hostDir,
      GATEWAY_PUBLIC_KEY_FILE: join(hostDir, 'keys', 'gateway-verify.jwk.json'),
      GATEWAY_PRIVATE_KEY_FILE: join(hostDir, 'keys', 'absent.jwk.json'),
      JOIN_KEY_FILE: join(hostDir, 'keys', 'join-handles.key'),
      DEPARTMENT_SIGNING_KEYS_DIR: join(hostDir, 'keys', 'department-signing'),
      // Its own database: a file of the host's, or a MySQL database of its own.
      DEPARTMENT_DATABASE_URL: own ? String(own) : `sqlite:${join(hostDir, 'water.sqlite')}`,
      SEED_SCALE: String(TEST_SCALE),
      SUBGRAPH_PORT_BASE: '0',
      LOG_LEVEL: 'silent',
    };
  });

  afterAll(async () => {
    await Promise.all(served.map((c) => c.stop()));
    await platform?.close();
  });

  /** ACCESS records of city_water's datasets in the trail. */
  async function cityWaterAccesses(): Promise<number> {
    const [row] = await platform
      .platformDb('audit_records')
      .where({ kind: 'ACCESS', subgraph: 'city_water' })
      .count({ n: '*' });
    return Number(row!.n);
  }

  it(
    "serves city_water alone on its own database; the running gateway routes the department's part to it",
    async () => {
      const headers = await platform.as('civil_affairs', 'social-assistance');
      const before = ok(await platform.query(PERSON, VARIABLES, headers));
      const { url } = await serve(['--department', 'city_water']);
      expect(existsSync(join(hostDir, 'keys', 'absent.jwk.json'))).toBe(false);

      const registered = (await selectCurrentSubgraphs(platform.platformDb)).find(
        (s) => s.name === 'city_water',
      );
      expect(registered?.url).toBe(url);
      await platform.registry.poll();

      // The same governed answer, now from the served process (its metrics count the
      // request), with the ACCESS record it handed back committed by the gateway.
      // On a new connection: the first query's may have idled out while the process started.
      const servedRequests = async () => {
        const text = await (await fetch(url.replace(/graphql$/, 'metrics'))).text();
        const line = /^govdata_subgraph_requests_total\{subgraph="city_water"\} (\d+)$/m.exec(text);
        return Number(line?.[1] ?? 0);
      };
      const servedBefore = await servedRequests();
      const accessesBefore = await cityWaterAccesses();
      const response = await postOnNewConnection(platform.gateway.url, PERSON, VARIABLES, headers);
      expect(ok(response)).toEqual(before);
      expect(await servedRequests()).toBe(servedBefore + 1);
      expect(await cityWaterAccesses()).toBe(accessesBefore + 1);
      // Signed with the city_water key the host holds; the gateway checked it before committing.
      const departmentKeys = new DepartmentVerifyKeys(
        join(platform.database.dir, 'keys', 'department-verify'),
      );
      expect(
        (await verifyAuditChains(platform.platformDb, undefined, departmentKeys)).problems,
      ).toEqual([]);
      expect((await fetch(url.replace(/graphql$/, 'ready'))).status).toBe(200);
    },
    SLOW,
  );

  it(
    'answers nothing to a direct call without the gateway’s signature, nor to a token signed with another key',
    async () => {
      const url = (await selectCurrentSubgraphs(platform.platformDb)).find(
        (s) => s.name === 'city_water',
      )!.url;
      const query = JSON.stringify({ query: '{ _service { sdl } }' });
      const plain = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: query,
      });
      expect(plain.status).toBe(401);
      const forged = await new SignJWT({ dept: 'city_water', roles: ['ADMIN'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('1m')
        .sign(new TextEncoder().encode('x'.repeat(32)));
      for (const header of ['x-govdata-context', 'authorization']) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [header]: forged },
          body: query,
        });
        expect(response.status, header).toBe(401);
        expect(await response.text()).not.toContain('UtilityAccount');
      }
    },
    SLOW,
  );

  it(
    'a second replica registering the same SUBGRAPH_URL changes nothing in the registry',
    async () => {
      const versions = await platform.platformDb('subgraph_versions').count({ n: '*' });
      const current = (await selectCurrentSubgraphs(platform.platformDb)).find(
        (s) => s.name === 'city_water',
      )!;
      const replica = await serve(['--department', 'city_water', '--no-seed'], {
        SUBGRAPH_URL: current.url,
      });
      expect(replica.command.output()).toContain('is already registered');
      expect(await platform.platformDb('subgraph_versions').count({ n: '*' })).toEqual(versions);
      expect((await fetch(replica.url.replace(/graphql$/, 'ready'))).status).toBe(200);
    },
    SLOW,
  );

  it(
    'a gateway fetch captured on the way and replayed to another replica yields nothing readable; to the same one, it is recorded',
    async () => {
      const current = (await selectCurrentSubgraphs(platform.platformDb)).find(
        (s) => s.name === 'city_water',
      )!;
      // Another replica of the department, a process of its own where no token has been seen.
      const replica = await serve(['--department', 'city_water', '--no-seed'], {
        SUBGRAPH_URL: current.url,
      });
      // The gateway's fetch to the registered replica, as it leaves (undici's request channel).
      const captured: { token: string; body: string }[] = [];
      const onRequest = (message: unknown) => {
        const { request } = message as {
          request: { origin: string; path: string; headers: string[]; body: unknown };
        };
        const at = request.headers.findIndex((h) => h.toLowerCase() === 'x-govdata-context');
        if (`${request.origin}${request.path}` !== current.url || at < 0) return;
        captured.push({ token: request.headers[at + 1]!, body: String(request.body) });
      };
      subscribe('undici:request:create', onRequest);
      const headers = await platform.as('civil_affairs', 'social-assistance');
      let answer: GraphQLResponse;
      try {
        answer = await postOnNewConnection(platform.gateway.url, PERSON, VARIABLES, headers);
      } finally {
        unsubscribe('undici:request:create', onRequest);
      }
      const accounts = (
        ok(answer) as { person: { utilityAccounts: { accountNumber: string; address: string }[] } }
      ).person.utilityAccounts;
      expect(accounts.length).toBeGreaterThan(0);
      expect(captured).toHaveLength(1);
      const { token, body } = captured[0]!;
      const replay = (url: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-govdata-context': token },
          body,
        });

      // To the other replica, where the token is new: an answer sealed for the gateway.
      const accessesBefore = await cityWaterAccesses();
      const elsewhere = await replay(replica.url);
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.headers.get('content-type')).toBe('application/vnd.govdata.sealed-answer');
      const bytes = Buffer.from(await elsewhere.arrayBuffer()).toString('latin1');
      for (const secret of [
        ...accounts.flatMap((a) => [a.accountNumber, a.address]),
        'govdataAccessRecords',
        'utilityAccounts',
      ]) {
        expect(bytes).not.toContain(Buffer.from(secret).toString('latin1'));
      }
      // To the replica that served it, where the token is known: answered, and recorded there.
      const again = await replay(current.url);
      expect(again.status).toBe(200);
      const plain = (await again.json()) as {
        data?: unknown;
        extensions?: Record<string, unknown>;
      };
      expect(JSON.stringify(plain.data)).toContain(accounts[0]!.accountNumber);
      expect(plain.extensions?.govdataAccessRecords).toBeUndefined();
      expect(await cityWaterAccesses()).toBe(accessesBefore + 1);
    },
    SLOW,
  );

  it(
    "cannot re-point another department's subgraph with the platform database's credential: not by the command line, a row of its own, a row signed with its own key, nor a stored composition",
    async () => {
      // Where public_security's data would go: a proxy on the water host that logs it.
      let proxied = 0;
      const proxy = createServer((_, res) => {
        proxied += 1;
        res.writeHead(502).end();
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
      try {
        const headers = await platform.as('civil_affairs', 'social-assistance');
        const lookup = `query($idNumber: String!) { person(idNumber: $idNumber) { name birthDate } }`;
        const honest = ok(await platform.query(lookup, VARIABLES, headers));
        const inForce = (await selectCurrentSubgraphs(platform.platformDb)).find(
          (s) => s.name === 'public_security',
        )!;

        // 1. `govdata subgraph publish` for another department, from the water host.
        const publish = startCommand(
          process.execPath,
          [
            '--import',
            'tsx',
            GOVDATA,
            'subgraph',
            'publish',
            '--department',
            'public_security',
            '--url',
            proxyUrl,
          ],
          { cwd: ROOT, env },
        );
        expect((await publish.exited).code).toBe(1);
        expect(publish.output()).toContain(
          'No audit signing key for department public_security at',
        );

        // 2. Rows written straight into the registry: unsigned, and signed with city_water's key.
        await platform.platformDb('subgraph_versions').insert({
          name: 'public_security',
          version: inForce.version + 1,
          url: proxyUrl,
          sdl: inForce.sdl,
          sdl_hash: inForce.sdlHash,
          published_by: 'public_security DEPT_IT (govdata)',
          published_at: new Date().toISOString(),
          note: 'rerouted',
        });
        const waterKey = createPrivateKey({
          key: JSON.parse(
            readFileSync(
              join(hostDir, 'keys', 'department-signing', 'city_water.jwk.json'),
              'utf8',
            ),
          ),
          format: 'jwk',
        });
        await insertSubgraphVersion(
          platform.platformDb,
          { name: 'public_security', url: proxyUrl, sdl: inForce.sdl, publishedBy: 'x', note: 'x' },
          new RegistrySigner({ public_security: waterKey }),
        );
        // 3. Every stored composition rewritten to route public_security to the proxy.
        const stored = await platform
          .platformDb('supergraph_compositions')
          .select<{ inputs_hash: string; supergraph_gzip: Buffer }[]>(
            'inputs_hash',
            'supergraph_gzip',
          );
        for (const row of stored) {
          const sdl = (await promisify(gunzip)(row.supergraph_gzip)).toString('utf8');
          await platform
            .platformDb('supergraph_compositions')
            .where({ inputs_hash: row.inputs_hash })
            .update({
              supergraph_gzip: await promisify(gzip)(sdl.replaceAll(inForce.url, proxyUrl)),
            });
        }
        await platform.registry.poll();

        const after = await postOnNewConnection(platform.gateway.url, lookup, VARIABLES, headers);
        expect(ok(after)).toEqual(honest);
        expect(proxied).toBe(0);
        const ready = (await (
          await fetch(platform.gateway.url.replace(/graphql$/, 'ready'))
        ).json()) as { problem?: string };
        expect(ready.problem).toContain(
          `subgraph public_security version ${inForce.version + 2} is not signed with public_security's key`,
        );
        expect(ready.problem).toContain(`version ${inForce.version} is served instead`);
      } finally {
        await new Promise((resolve) => proxy.close(resolve));
      }
    },
    SLOW,
  );

  it.runIf(engine === 'mysql')(
    "a department's host credential reads and appends, and cannot grant, rewrite or delete: the host refuses the platform's own credential",
    async () => {
      const url = new URL(env.DATABASE_URL!);
      const host = mysqlConnection(url);
      try {
        // What a host does: read grants and the registry, append its records.
        expect(Number((await host('grants').count({ n: '*' }))[0]!.n)).toBeGreaterThan(0);
        const [grant] = await host('grants').select('*').limit(1);
        await host('audit_records').select('id').limit(1);
        const [version] = await host('subgraph_versions').select('*').limit(1);
        const attempts: [string, () => Promise<unknown>][] = [
          ['a grant of its own', () => host('grants').insert({ ...grant, id: undefined })],
          ['a grant widened', () => host('grants').update({ status: grant.status })],
          ['a grant revoked', () => host('grants').delete()],
          ['a catalogue entry', () => host('catalogue_entries').update({ status: 'PUBLISHED' })],
          ['a sharing decision', () => host('dataset_policies').delete()],
          ['an audit record deleted', () => host('audit_records').where('id', '>', 0).delete()],
          [
            'an audit record rewritten',
            () => host('audit_records').update({ decision: 'ALLOWED' }),
          ],
          [
            'a registry row deleted',
            () =>
              host('subgraph_versions')
                .where({ name: version!.name, version: version!.version })
                .delete(),
          ],
          ['a signature stripped', () => host('subgraph_versions').update({ signature: null })],
          // What names a row, where a host only counts or records progress.
          [
            "another department's export rerouted to this host",
            () => host('exports').update({ provider_department: 'city_water' }),
          ],
          ["an export's plan widened", () => host('exports').update({ plan: '{}' })],
          [
            "a quota's count moved to another grant",
            () => host('grant_usage').update({ grant_id: 'G-ELSEWHERE' }),
          ],
          [
            'a verification count moved to another consumer',
            () => host('verification_usage').update({ consumer_department: 'tax' }),
          ],
          ["a chain's role rewritten", () => host('audit_chains').update({ role: 'gateway' })],
          ['a signed-out token forgotten', () => host('signed_out_tokens').delete()],
          ['API keys read', () => host('api_keys').select('*')],
          ['the attestation start moved', () => host('audit_attestation_start').delete()],
          ['a table dropped', () => host.schema.dropTable('grants')],
          ['a user made', () => host.raw("CREATE USER 'govdata_intruder'@'%'")],
        ];
        expect(await unrefused(attempts)).toEqual([]);

        // Rows of its own datasets only, where its rights reach the column: city_water's
        // host counts G-DEMO-CA-WATER (on its own dataset), never public_security's grant.
        const day = '2000-01-01'; // a day no request of the earlier tests counted on
        const own = { grant_id: 'G-DEMO-CA-WATER', day, calls: 0 };
        await host('grant_usage').insert(own).onConflict(['grant_id', 'day']).ignore();
        expect(await host('grant_usage').where(own).update({ calls: 1 })).toBe(1);
        const admin = mysqlConnection(new URL(adminUrl));
        try {
          await admin('grant_usage').insert({ grant_id: 'G-DEMO-CA-POP', day, calls: 90 });
          const now = new Date().toISOString();
          // A gateway's chain, and a chain of city_water's own.
          const chain = { writer: 'gateway-test-writer', role: 'gateway' };
          const ownChain = { writer: 'city-water-test-writer', role: 'city_water subgraph' };
          await admin('audit_chains').insert(
            [chain, ownChain].map((c) => ({
              ...c,
              last_seq: 0,
              last_hash: '0'.repeat(64),
              started_at: now,
              updated_at: now,
            })),
          );
          const exported = {
            id: 'exp_00000000-0000-4000-8000-000000000001',
            consumer_department: 'city_water',
            dataset_code: 'PS-POP-001',
            provider_department: 'public_security',
            plan: '{}',
            started_at: new Date().toISOString(),
            charged: 0,
          };
          await admin('exports').insert(exported);
          const record = (writer: string, provider: string, seq: number) => ({
            writer,
            seq,
            at: now,
            kind: 'ACCESS',
            request_id: 'serve-department-test',
            subgraph: provider,
            consumer_department: 'natural_resources',
            dataset_code: provider === 'city_water' ? 'CW-ACC-001' : 'PS-POP-001',
            provider_department: provider,
            items_returned: '[]',
            items_masked: '[]',
            items_denied: '[]',
            record_count: 0,
            decision: 'ALLOWED',
            latency_ms: 0,
            prev_hash: '0'.repeat(64),
            hash: '1'.repeat(64),
          });
          // Its own chain, about its own data: written (and taken out again, not being a real record).
          await host('audit_records').insert(record(ownChain.writer, 'city_water', 1));
          await admin('audit_records').where({ writer: ownChain.writer }).delete();
          // A miss of a key that carries public_security's key (a licence numbered with an
          // ID number) spends that dataset's probe budget: a count the host adds to, only.
          const probes = { dataset_code: 'PS-POP-001', record_hash: '*probes', day };
          await host('verification_usage').insert({
            ...probes,
            consumer_department: 'tax',
            verifications: 1,
          });
          expect(
            await host('verification_usage')
              .where({ ...probes, consumer_department: 'tax' })
              .update({ verifications: 2 }),
          ).toBe(1);
          const others: [string, () => Promise<unknown>][] = [
            [
              "its own count on public_security's grant reset",
              () => host('grant_usage').where({ grant_id: 'G-DEMO-CA-POP' }).update({ calls: 0 }),
            ],
            [
              "a count on public_security's grant begun",
              () =>
                host('grant_usage').insert({
                  grant_id: 'G-DEMO-CA-POP',
                  day: '2000-01-02',
                  calls: 0,
                }),
            ],
            [
              "its export of public_security's dataset marked counted ahead",
              () => host('exports').where({ id: exported.id }).update({ charged: 1_000_000 }),
            ],
            [
              "an export of public_security's dataset recorded as its own",
              () => host('exports').insert({ ...exported, id: `${exported.id.slice(0, -1)}2` }),
            ],
            [
              "a verification count on public_security's dataset",
              () =>
                host('verification_usage').insert({
                  consumer_department: 'city_water',
                  dataset_code: 'PS-POP-001',
                  record_hash: 'x'.repeat(64),
                  day,
                  verifications: 0,
                }),
            ],
            [
              "a probe count on public_security's dataset lowered (guesses given back)",
              () =>
                host('verification_usage')
                  .where({ ...probes, consumer_department: 'tax' })
                  .update({ verifications: 0 }),
            ],
            [
              "another writer's chain head moved",
              () => host('audit_chains').where({ writer: chain.writer }).update({ last_seq: 0 }),
            ],
            [
              "a record appended to a gateway's chain",
              () => host('audit_records').insert(record(chain.writer, 'city_water', 1)),
            ],
            [
              "an access to public_security's data recorded in its own chain",
              () => host('audit_records').insert(record(ownChain.writer, 'public_security', 2)),
            ],
          ];
          const written: string[] = [];
          for (const [what, attempt] of others) {
            const error = await attempt().then(
              () => null,
              (e: unknown) => e as { code?: string; sqlMessage?: string },
            );
            if (
              error?.code !== 'ER_SIGNAL_EXCEPTION' ||
              !/a department host writes .* of its own datasets only/.test(error.sqlMessage ?? '')
            ) {
              written.push(`${what}: ${error ? (error.code ?? 'failed otherwise') : 'done'}`);
            }
          }
          expect(written).toEqual([]);
          expect(
            (await admin('grant_usage').where({ grant_id: 'G-DEMO-CA-POP', day }).first()).calls,
          ).toBe(90);
        } finally {
          await admin.destroy();
        }
      } finally {
        await host.destroy();
      }

      // Started with the platform's own credential, each role refuses in production, naming
      // its own user: a department's host, a gateway (which faces the network) and the
      // platform subgraph (which needs no right to migrate or to rewrite the audit trail).
      const database = url.pathname.slice(1);
      const roles: [string[], Record<string, string>, PlatformRole][] = [
        [
          [GOVDATA, 'serve', '--department', 'city_water'],
          env,
          platformHostRole(database, 'city_water'),
        ],
        [
          [join(ROOT, 'scripts', 'gateway.ts'), '--workers', '1', '--port', '0'],
          // The platform's folder, with the gateway's keys where they are by default.
          {
            ...Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('GATEWAY_'))),
            DATA_DIR: platform.database.dir,
          },
          platformGatewayRole(database),
        ],
        [
          [GOVDATA, 'serve', '--platform', '--port', '0'],
          {
            ...env,
            DEPARTMENT_SIGNING_KEYS_DIR: join(platform.database.dir, 'keys', 'department-signing'),
          },
          platformSubgraphRole(database),
        ],
      ];
      for (const [args, roleEnv, role] of roles) {
        const privileged = startCommand(process.execPath, ['--import', 'tsx', ...args], {
          cwd: ROOT,
          env: { ...roleEnv, DATABASE_URL: adminUrl, PLATFORM_DB_RIGHTS: 'least' },
        });
        expect((await privileged.exited).code, role.title).toBe(1);
        expect(privileged.output()).toContain(
          `may do more in the platform database than ${role.title} needs`,
        );
        expect(privileged.output()).toContain(role.user);
        expect(privileged.output()).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }
      // A host credential cannot make the department's own database: it asks for one.
      const homeless = startCommand(
        process.execPath,
        ['--import', 'tsx', GOVDATA, 'serve', '--department', 'city_water'],
        { cwd: ROOT, env: { ...env, DEPARTMENT_DATABASE_URL: '' } },
      );
      expect((await homeless.exited).code).toBe(1);
      expect(homeless.output()).toContain('set DEPARTMENT_DATABASE_URL');
    },
    SLOW,
  );

  it(
    'serves the platform subgraph alone; the gateway follows it',
    async () => {
      // The platform subgraph's host publishes with the platform's registry key.
      const platformKeys = join(hostDir, 'keys', 'platform-signing');
      mkdirSync(platformKeys, { recursive: true });
      copyFileSync(
        join(platform.database.dir, 'keys', 'department-signing', 'platform_registry.jwk.json'),
        join(platformKeys, 'platform_registry.jwk.json'),
      );
      // On MySQL as the platform subgraph's user, held to it as in production.
      const platformUrl =
        engine === 'mysql' ? (platform.database.config as { url: URL }).url : null;
      const { url } = await serve(['--platform'], {
        DEPARTMENT_SIGNING_KEYS_DIR: platformKeys,
        DATABASE_URL: platformUrl
          ? String(roleUrl(platformUrl, platformSubgraphRole(platformUrl.pathname.slice(1)).user))
          : adminUrl,
        PLATFORM_DB_RIGHTS: 'least',
      });
      expect(
        (await selectCurrentSubgraphs(platform.platformDb)).find((s) => s.name === 'platform')?.url,
      ).toBe(url);
      await platform.registry.poll();
      const entries = ok(
        await platform.query<{ catalogueEntries: { nodes: { code: string }[] } }>(
          '{ catalogueEntries(first: 50) { nodes { code } } }',
        ),
      );
      expect(entries.catalogueEntries.nodes.map((n) => n.code)).toContain('CW-ACC-001');
    },
    SLOW,
  );

  it(
    'refuses an unknown department, a missing join key, audit signing key or gateway public key with a message that says what to do',
    async () => {
      const command = (extra: Record<string, string>, ...args: string[]) =>
        startCommand(process.execPath, ['--import', 'tsx', GOVDATA, 'serve', ...args], {
          cwd: ROOT,
          env: { ...env, ...extra },
        });
      const unknown = command({}, '--department', 'nope');
      const keyless = command(
        { JOIN_KEY_FILE: join(hostDir, 'keys', 'missing.key') },
        '--department',
        'city_water',
      );
      // A host of another department holds no city_water signing key, and never makes one.
      const unsigned = command(
        { DEPARTMENT_SIGNING_KEYS_DIR: join(hostDir, 'keys', 'other-department') },
        '--department',
        'city_water',
      );
      // Without the gateway's public key, neither kind of host can check a request.
      const noGatewayKey = {
        GATEWAY_PUBLIC_KEY_FILE: join(hostDir, 'keys', 'absent-verify.jwk.json'),
      };
      const unverified = [
        command(noGatewayKey, '--department', 'city_water'),
        command(noGatewayKey, '--platform'),
      ];
      const [unknownEnd, keylessEnd, unsignedEnd, ...unverifiedEnds] = await Promise.all([
        unknown.exited,
        keyless.exited,
        unsigned.exited,
        ...unverified.map((c) => c.exited),
      ]);
      for (const [i, host] of unverified.entries()) {
        expect(unverifiedEnds[i]!.code).toBe(1);
        expect(host.output()).toContain('No gateway public key at');
        expect(host.output()).toContain('GATEWAY_PUBLIC_KEY_FILE');
        expect(host.output()).not.toContain('ENOENT');
      }
      expect(unknownEnd.code).toBe(1);
      expect(unknown.output()).toContain('its departments are: business_environment, city_water');
      expect(keylessEnd.code).toBe(1);
      expect(keyless.output()).toContain('JOIN_KEY_FILE');
      expect(keyless.output()).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(unsignedEnd.code).toBe(1);
      expect(unsigned.output()).toContain('No audit signing key for department city_water at');
      expect(unsigned.output()).toContain('DEPARTMENT_SIGNING_KEYS_DIR');
      expect(existsSync(join(hostDir, 'keys', 'other-department'))).toBe(false);
    },
    SLOW,
  );
});
