/**
 * `npm run gateway -- --workers 2 --port 0` in front of an in-process platform:
 * the workers compose from the platform's subgraph registry, answer as the
 * platform's own gateway does, and each writes its REQUEST records itself, in
 * a chain of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVerifyKey, verifyAuditChains } from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { descendantsOf } from '../support/processes.ts';
import { ok, waitFor } from '../support/responses.ts';
import {
  startTestPlatform,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

const ROOT = join(import.meta.dirname, '..', '..');
/** The README's walk-through dataset (water meters), filled in: published in the middle of the load. */
const METERS_YAML = readFileSync(
  join(import.meta.dirname, 'fixtures', 'water-meters.yaml'),
  'utf8',
);
const GATEWAY = join(ROOT, 'scripts', 'gateway.ts');

/** The README's example query. */
const PERSON = `query PersonWithRecords($idNumber: String!) { person(idNumber: $idNumber) { name gender regionCode phone licenses { licenseNumber kind status } creditRecords { category authority decidedOn } landParcels { parcelCode landUse areaSqm } utilityAccounts { accountNumber address monthlyUsageM3 arrears } } }`;
const VARIABLES = { idNumber: personIdNumberAt(DEMO_PERSON_INDEX) };

interface Command {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `npm run gateway -- ...args` on the data in `dataDir`, as an operator would. */
function gatewayCommand(dataDir: string, ...args: string[]): Command {
  const child = spawn(process.execPath, ['--import', 'tsx', GATEWAY, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close': the process has exited and every holder of its output (its
  // workers too) has let go of it.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Runs the command to its end; fails if it is still running after 60 s. */
async function runToEnd(dataDir: string, ...args: string[]) {
  const command = gatewayCommand(dataDir, ...args);
  const timer = setTimeout(() => command.child.kill('SIGKILL'), 60_000);
  const { code, signal } = await command.exited;
  clearTimeout(timer);
  return { code, signal, output: command.output() };
}

/**
 * POSTs over a connection of its own (no keep-alive), so the cluster's
 * round-robin hands consecutive requests to different workers.
 */
function postFresh<TData>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            const parsed = JSON.parse(text) as Omit<GraphQLResponse<TData>, 'status'>;
            resolve({ status: res.statusCode!, ...parsed });
          } catch (error) {
            reject(new Error(`not JSON (${res.statusCode}): ${text} (${String(error)})`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Whether a process is still running (a zombie waiting to be reaped is not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Running processes of this script started with DATA_DIR=`dataDir`. */
function gatewayProcessesOn(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      if (!commandLine(pid).includes(GATEWAY) || !running(pid)) return false;
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .includes(`DATA_DIR=${dataDir}`);
      } catch {
        return false;
      }
    });
}

/**
 * Under vitest the in-process gateway's GraphQLError class is not the one
 * @apollo/server checks against (vite resolves graphql's ESM build, Node its
 * CommonJS build), so Apollo prefixes a refused credential's message with
 * "Context creation failed: ". Run with tsx, as `npm start` and the workers
 * are, there is one class and no prefix. The rest must match exactly.
 */
function withoutContextPrefix<T>(response: GraphQLResponse<T>): GraphQLResponse<T> {
  return {
    ...response,
    ...(response.errors && {
      errors: response.errors.map((e) => ({
        ...e,
        message: e.message.replace(/^Context creation failed: /, ''),
      })),
    }),
  };
}

/**
 * The response with each error's request id replaced by a placeholder: every
 * gateway names each request with an id of its own, so two answers to the
 * same request differ there and only there.
 */
function withoutRequestIds<T>(response: GraphQLResponse<T>): GraphQLResponse<T> {
  return {
    ...response,
    ...(response.errors && {
      errors: response.errors.map((e) => ({
        ...e,
        extensions: { ...e.extensions, requestId: typeof e.extensions?.requestId },
      })),
    }),
  };
}

const PROC = existsSync('/proc/self/stat');

describe('npm run gateway: worker processes in front of a running platform', () => {
  let platform: TestPlatform;
  let gateway: Command;
  let url: string;
  let civilAffairs: Record<string, string>;
  /** The supergraphs the platform had composed and stored before the gateway started. */
  let composedBefore: string[];
  const composed = async () =>
    (await platform.platformDb('supergraph_compositions').select('inputs_hash'))
      .map((r: { inputs_hash: string }) => r.inputs_hash)
      .sort();

  /** City water's department IT saves `document` (CW-MTR-001), submits it, a reviewer publishes it. */
  const publishMeters = async (document: string) => {
    const deptIt = {
      authorization: `Bearer ${await platform.token({ department: 'city_water', roles: ['DEPT_IT'], user: 'wang' })}`,
    };
    const reviewer = {
      authorization: `Bearer ${await platform.token({ department: 'data_office', roles: ['REVIEWER'], user: 'zhao' })}`,
    };
    const draft = ok(
      await platform.query<{ saveCatalogueDraft: { version: number } }>(
        `mutation($d: String!) { saveCatalogueDraft(document: $d, changeReason: "Meters for arrears checks", triggerDate: "2026-11-20") { version } }`,
        { d: document },
        deptIt,
      ),
    ).saveCatalogueDraft;
    for (const [step, headers] of [
      ['submitCatalogueEntry', deptIt],
      ['publishCatalogueEntry', reviewer],
    ] as const) {
      ok(
        await platform.query(
          `mutation($v: Int!) { ${step}(code: "CW-MTR-001", version: $v) { status } }`,
          { v: draft.version },
          headers,
        ),
      );
    }
  };
  const workers = () =>
    descendantsOf(gateway.child.pid!).filter((p) => commandLine(p).includes(GATEWAY));
  const count = (pattern: RegExp) => gateway.output().match(pattern)?.length ?? 0;

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    civilAffairs = await platform.as('civil_affairs', 'social-assistance');
    composedBefore = await composed();
    gateway = gatewayCommand(platform.database.dir, '--workers', '2', '--port', '0');
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "serving" line within 60 s:\n${gateway.output()}`)),
        60_000,
      );
      const look = () => {
        const match = /\[gateway\] 2 worker\(s\) serving (http:\/\/\S+)/.exec(gateway.output());
        if (!match) return;
        clearTimeout(timer);
        resolve(match[1]!);
      };
      gateway.child.stdout!.on('data', look);
      void gateway.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(
          new Error(`the gateway ended (${signal ?? code}) before serving:\n${gateway.output()}`),
        );
      });
    });
  });

  afterAll(async () => {
    if (gateway && gateway.child.exitCode === null && gateway.child.signalCode === null) {
      gateway.child.kill('SIGKILL');
      await gateway.exited;
    }
    await platform?.close();
  });

  it("answers the README's person query for Civil Affairs exactly as the platform's gateway does", async () => {
    const expected = await platform.query(PERSON, VARIABLES, civilAffairs);
    const viaWorkers = await postFresh(url, PERSON, VARIABLES, civilAffairs);
    expect(withoutRequestIds(viaWorkers)).toEqual(withoutRequestIds(expected));
    // Control: the answer is the governed one, not an empty refusal.
    const person = (viaWorkers.data as { person: Record<string, any> }).person;
    expect(person.name).toBeTruthy();
    expect(person.phone).toBeNull();
    expect(person.licenses.length).toBeGreaterThan(0);
    expect(person.utilityAccounts[0].address).toMatch(/^[^*]{6}\*{4}$/u);
    expect(viaWorkers.errors?.map((e) => [e.path, e.extensions?.reason])).toEqual([
      [['person', 'phone'], 'NO_GRANT'],
    ]);
    // A second request, on another connection and so another worker, answers the same.
    expect(withoutRequestIds(await postFresh(url, PERSON, VARIABLES, civilAffairs))).toEqual(
      withoutRequestIds(expected),
    );
  });

  it('serves the supergraph the platform composed: its primary prepares it once, for every worker', async () => {
    expect(gateway.output()).toMatch(
      /\[gateway\] supergraph of the registry ready for the workers/,
    );
    // The registry's set was composed by the platform at its start; nothing new was stored.
    expect(composedBefore).toHaveLength(1);
    expect(await composed()).toEqual(composedBefore);
  });

  it('refuses anonymous callers and forged bearer tokens as the platform’s gateway does', async () => {
    const valid = civilAffairs.authorization!.slice('Bearer '.length);
    const [header, payload, signature] = valid.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const elevated = Buffer.from(
      JSON.stringify({ ...claims, dept: 'public_security', roles: ['ADMIN'] }),
    ).toString('base64url');
    const wrongKey = await new SignJWT({ dept: 'civil_affairs', roles: ['APP_DEVELOPER'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(String(claims.iss))
      .setAudience(String(claims.aud))
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-secret-'.repeat(4)));
    const purpose = { 'x-purpose': 'social-assistance' };
    const callers: [string, Record<string, string>][] = [
      ['anonymous', purpose],
      [
        'a token whose claims were altered',
        { ...purpose, authorization: `Bearer ${header}.${elevated}.${signature}` },
      ],
      ['a token signed with another key', { ...purpose, authorization: `Bearer ${wrongKey}` }],
      ['a malformed authorization header', { ...purpose, authorization: 'Bearer' }],
    ];
    for (const [who, headers] of callers) {
      const expected = withoutContextPrefix(await platform.query(PERSON, VARIABLES, headers));
      const viaWorkers = await postFresh(url, PERSON, VARIABLES, headers);
      expect(withoutRequestIds(viaWorkers), who).toEqual(withoutRequestIds(expected));
      // Nothing of the person's is answered, and the refusal says why.
      expect(JSON.stringify(viaWorkers.data ?? null), who).not.toContain('licenseNumber');
      expect(viaWorkers.errors?.length, who).toBeGreaterThan(0);
      expect(
        viaWorkers.errors!.every((e) =>
          who === 'anonymous'
            ? e.extensions?.reason === 'UNAUTHENTICATED'
            : e.extensions?.code === 'UNAUTHENTICATED',
        ),
        `${who}: ${JSON.stringify(viaWorkers)}`,
      ).toBe(true);
      if (who !== 'anonymous') expect(viaWorkers.status, who).toBe(401);
    }
    // A gateway of its own has no development sign-in unless DEV_SIGN_IN=on asks for it, even
    // on the development secret: whoever reaches it through a forwarder would get office tokens.
    const origin = new URL(url).origin;
    const devToken = await fetch(`${origin}/graphiql/dev-token?department=data_office&role=ADMIN`);
    expect(devToken.status).toBe(404);
    expect(await devToken.text()).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
  });

  it('every request the workers answered has its REQUEST record, each worker writing its own intact chain', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `gw-workers-${i}`);
    for (const [i, id] of ids.entries()) {
      const response = await postFresh(url, PERSON, VARIABLES, {
        ...(i % 3 === 2 ? { 'x-purpose': 'social-assistance' } : civilAffairs),
        'x-request-id': id,
      });
      expect(response.status, id).toBe(200);
    }
    // The same through the platform's own gateway, whose records its own writer keeps.
    await platform.query(PERSON, VARIABLES, { ...civilAffairs, 'x-request-id': 'gw-main-0' });

    const records = await platform
      .platformDb('audit_records')
      .where({ kind: 'REQUEST' })
      .whereIn('correlation_id', [...ids, 'gw-main-0'])
      .select<{ correlation_id: string; writer: string; consumer_department: string | null }[]>(
        'correlation_id',
        'writer',
        'consumer_department',
      );
    const byWorkers = records.filter((r) => r.correlation_id !== 'gw-main-0');
    // Each answered request has exactly one REQUEST record, as soon as it was answered.
    expect(byWorkers.map((r) => r.correlation_id).sort()).toEqual([...ids].sort());
    expect(byWorkers.map((r) => r.consumer_department)).toEqual(
      expect.arrayContaining(['civil_affairs', null]),
    );
    // The connections were handed to the two workers in turn: each wrote its
    // requests' records in a chain of role 'gateway' of its own.
    const writers = [...new Set(byWorkers.map((r) => r.writer))];
    expect(writers).toHaveLength(2);
    const chains = await platform
      .platformDb('audit_chains')
      .select<{ writer: string; role: string }[]>('writer', 'role');
    for (const writer of writers) {
      expect(chains.find((c) => c.writer === writer)?.role).toBe('gateway');
    }
    const main = records.find((r) => r.correlation_id === 'gw-main-0')!;
    expect(writers).not.toContain(main.writer);
    expect(chains.find((c) => c.writer === main.writer)?.role).toBe('platform process');

    const verification = await verifyAuditChains(platform.platformDb);
    expect(verification.problems).toEqual([]);
    expect(verification.ok).toBe(true);
  });

  it.runIf(PROC)(
    'takes up a publication by replacing its workers one at a time: every request meanwhile answered in full, on record',
    async () => {
      const before = workers();
      expect(before).toHaveLength(2);

      // Callers keep asking throughout: on kept-alive connections and on fresh ones.
      const answers: { id: string; status: number | string; named: boolean }[] = [];
      let asking = true;
      let n = 0;
      const ask = async (fresh: boolean) => {
        while (asking) {
          const id = `gw-roll-${n++}`;
          const headers = { ...civilAffairs, 'x-request-id': id };
          try {
            if (fresh) {
              const answer = await postFresh<{ person: { name: string } }>(
                url,
                PERSON,
                VARIABLES,
                headers,
              );
              answers.push({ id, status: answer.status, named: !!answer.data?.person?.name });
            } else {
              const response = await fetch(url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...headers },
                body: JSON.stringify({ query: PERSON, variables: VARIABLES }),
              });
              const answer = (await response.json()) as { data?: { person?: { name?: string } } };
              answers.push({ id, status: response.status, named: !!answer.data?.person?.name });
            }
          } catch (error) {
            answers.push({ id, status: String(error), named: false });
          }
        }
      };
      const callers = [ask(false), ask(false), ask(true), ask(true)];

      // City water's department IT registers a dataset, a reviewer publishes it: a new subgraph version.
      await publishMeters(METERS_YAML);

      // Every worker is replaced by one serving the new dataset, and the old ones end. (A
      // publication may move the registry twice, seen by the primary as one change or two.)
      await waitFor(
        'the workers to be replaced',
        async () => {
          const began = count(/\[gateway\] the registry changed: replacing the workers/g);
          const done = count(/\[gateway\] workers replaced in \d+ ms/g);
          const now = workers();
          return began > 0 && done === began && now.length === 2 ? now : undefined;
        },
        60_000,
      ).then((after) => expect(after.filter((p) => before.includes(p))).toEqual([]));
      expect(before.filter(running)).toEqual([]);
      const meter = `{ waterMeter(meterNo: "WM0615392235") { meterNo } }`;
      for (let i = 0; i < 2; i++) {
        // A connection of its own each: one worker, then the other.
        expect(ok(await postFresh(url, meter, {}, civilAffairs))).toEqual({
          waterMeter: { meterNo: 'WM0615392235' },
        });
      }

      asking = false;
      await Promise.all(callers);
      // Nothing refused, dropped or cut short while the workers were replaced.
      expect(answers.length).toBeGreaterThan(20);
      expect(answers.filter((a) => a.status !== 200 || !a.named)).toEqual([]);
      // ...and every answer has its REQUEST record.
      const recorded = await platform
        .platformDb('audit_records')
        .where({ kind: 'REQUEST' })
        .whereIn(
          'correlation_id',
          answers.map((a) => a.id),
        )
        .count<{ n: number }[]>({ n: '*' });
      expect(Number(recorded[0]!.n)).toBe(answers.length);
    },
  );

  it.runIf(PROC)(
    'new workers that cannot start leave the old ones serving, and the replacement is tried again until it succeeds',
    async () => {
      const before = workers();
      expect(before).toHaveLength(2);
      const key = join(platform.database.dir, 'keys', 'gateway-signing.jwk.json');
      renameSync(key, `${key}.away`);
      const failures = count(/\[gateway\] workers not replaced/g);
      const replaced = count(/\[gateway\] workers replaced in \d+ ms/g);
      try {
        // A new description: a new subgraph version, which new workers cannot take up without the key.
        await publishMeters(
          METERS_YAML.replace(
            'Date the meter was installed, YYYY-MM-DD.',
            'Date the meter was installed (YYYY-MM-DD).',
          ),
        );
        await waitFor(
          'a failed replacement',
          async () => (count(/\[gateway\] workers not replaced/g) > failures ? true : undefined),
          60_000,
        );
        expect(gateway.output()).toMatch(
          /\[gateway\] workers not replaced: a new worker stopped before it served; the others serve on; trying again in 10 s/,
        );
        // The old workers serve on, on the supergraph they had.
        expect(workers().sort()).toEqual([...before].sort());
        for (let i = 0; i < 2; i++) {
          const answer = await postFresh<{ person: { name: string } }>(
            url,
            PERSON,
            VARIABLES,
            civilAffairs,
          );
          expect(answer.status).toBe(200);
          expect(answer.data?.person.name).toBeTruthy();
        }
      } finally {
        renameSync(`${key}.away`, key);
      }
      // With the key back, the next attempt replaces them.
      await waitFor(
        'the workers to be replaced on a later attempt',
        async () => {
          const now = workers();
          return count(/\[gateway\] workers replaced in \d+ ms/g) > replaced && now.length === 2
            ? now
            : undefined;
        },
        90_000,
      ).then((after) => expect(after.filter((p) => before.includes(p))).toEqual([]));
      expect(gateway.output()).toContain('[gateway] replacing the workers again');
      await waitFor('the old workers to end', async () =>
        before.some(running) ? undefined : true,
      );
    },
  );

  it.runIf(PROC)('SIGTERM stops the primary and every worker, exit 0', async () => {
    const pid = gateway.child.pid!;
    const tree = descendantsOf(pid);
    const workers = tree.filter((p) => commandLine(p).includes(GATEWAY));
    expect(
      workers,
      `processes under the gateway: ${tree.map(commandLine).join('\n')}`,
    ).toHaveLength(2);

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(gateway.output()).toContain('[gateway] SIGTERM: stopping');
    // The primary waits for its workers before it exits.
    expect(workers.filter(running)).toEqual([]);
    expect(gatewayProcessesOn(platform.database.dir)).toEqual([]);
    // Helpers of those processes (tsx's esbuild) end with them.
    await waitFor('every process of the gateway to end', async () =>
      tree.some(running) ? undefined : true,
    );

    // Whatever a worker still held was written before it exited.
    const verification = await verifyAuditChains(platform.platformDb);
    expect(verification.problems).toEqual([]);
    // ...and each worker's chain head signed on the way out, with the platform's key.
    const checkpointFile = join(platform.database.dir, 'audit-checkpoints.jsonl');
    const signed = await verifyAuditChains(platform.platformDb, {
      files: [checkpointFile],
      publicKey: await loadVerifyKey(
        join(platform.database.dir, 'keys', 'gateway-verify.jwk.json'),
      ),
    });
    expect(signed.problems).toEqual([]);
    const gatewayChains = await platform
      .platformDb('audit_chains')
      .where({ role: 'gateway' })
      .select<{ writer: string; last_seq: number }[]>('writer', 'last_seq');
    expect(gatewayChains.length).toBeGreaterThanOrEqual(2);
    const checkpoints = readFileSync(checkpointFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { writer: string; seq: number });
    for (const chain of gatewayChains) {
      const lastSigned = checkpoints.filter((c) => c.writer === chain.writer).map((c) => c.seq);
      expect(Math.max(...lastSigned), chain.writer).toBe(Number(chain.last_seq));
    }
  });
});

describe.concurrent('npm run gateway: refusing to start', () => {
  const dirs: string[] = [];
  const emptyDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'govdata-gateway-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('without the signing key: exits 1 naming the missing key, and serves and creates nothing', async () => {
    const dir = emptyDir();
    const result = await runToEnd(dir, '--workers', '2', '--port', '0');
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(
      `No gateway signing key at ${join(dir, 'keys', 'gateway-signing.jwk.json')}`,
    );
    expect(result.output).not.toMatch(/serving/);
    // No key of its own (it would sign tokens no subgraph accepts), no database.
    expect(readdirSync(dir)).toEqual([]);
    if (PROC) expect(gatewayProcessesOn(dir)).toEqual([]);
  });

  it.each(['0', 'abc'])(
    '--workers %s: exits 1, saying it takes a whole number',
    async (workers) => {
      const dir = emptyDir();
      const result = await runToEnd(dir, '--workers', workers, '--port', '0');
      expect(result.code, result.output).toBe(1);
      expect(result.output).toContain(
        `--workers takes a whole number from 1 to 64 (got ${workers})`,
      );
      expect(readdirSync(dir)).toEqual([]);
    },
  );
});
