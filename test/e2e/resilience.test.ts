/**
 * No single caller, dependency or signal stalls the platform: a locked
 * platform database fails requests fast while /health answers, a slow
 * subgraph costs only its part of an answer, a trickled request is dropped,
 * hostile catalogue YAML is refused in milliseconds, and SIGTERM stops
 * `npm start` cleanly after draining. Timings are asserted generously (the
 * machine is shared) and logged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseName, DEFAULT_DATABASE_LIMITS, type DatabaseConfig } from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import {
  insertSubgraphVersion,
  selectCurrentSubgraphs,
} from '../../subgraphs/platform/registry/index.ts';
import {
  startTestPlatform,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';
import { descendantsOf } from '../support/processes.ts';
import { watchEventLoop } from '../support/eventLoopWatch.ts';
import { availableEngines } from '../support/testDatabase.ts';

/** A second, independent connection to a SQLite file (the driver ships no types). */
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => {
  exec(sql: string): void;
  close(): void;
};

const ROOT = join(import.meta.dirname, '..', '..');
const PERSON = personIdNumberAt(DEMO_PERSON_INDEX);
const PERSON_WITH_LICENSES = `query($id: String!) { person(idNumber: $id) { name licenses { kind } } }`;
const ENGINES = await availableEngines();
const BOUND_MS = DEFAULT_DATABASE_LIMITS.lockTimeoutMs;

/** Runs `work`, returning its result and how long it took in ms. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

function baseOf(platform: TestPlatform): string {
  return platform.gateway.url.replace(/\/graphql$/, '');
}

/** Every address-like or SQL-like fragment a client must never see. */
function expectNothingInternal(response: GraphQLResponse<unknown>): void {
  const text = JSON.stringify(response);
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|:\d{4,5}\b|ECONNREFUSED/);
  expect(text).not.toMatch(/\b(insert into|select .* from|update .* set)\b/i);
}

/** Polls /health every 100 ms while `during` runs; returns each answer's latency. */
async function healthLatenciesDuring(base: string, during: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void during.finally(() => (done = true));
  while (!done) {
    const { value, ms } = await timed(() => fetch(`${base}/health`));
    expect(value.status).toBe(200);
    latencies.push(ms);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return latencies;
}

/** A connection of its own to the logical database `name` on MySQL. */
function connectToMysql(config: DatabaseConfig & { kind: 'mysql' }, name: string) {
  return createConnection({
    host: config.url.hostname,
    port: Number(config.url.port || 3306),
    user: decodeURIComponent(config.url.username),
    password: decodeURIComponent(config.url.password),
    database: databaseName(config, name),
  });
}

/** Holds the platform database's write lock from another connection until released. */
async function lockPlatformDatabase(platform: TestPlatform): Promise<() => Promise<void>> {
  const { config } = platform.database;
  if (config.kind === 'sqlite') {
    const other = new Database(databaseName(config, 'platform'));
    other.exec('BEGIN EXCLUSIVE');
    return async () => {
      other.exec('ROLLBACK');
      other.close();
    };
  }
  const connection = await connectToMysql(config, 'platform');
  await connection.query('LOCK TABLES audit_records WRITE, audit_chains WRITE');
  return async () => {
    await connection.query('UNLOCK TABLES');
    await connection.end();
  };
}

describe.each(ENGINES)('a locked platform database, on %s', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(engine);
  });
  afterAll(() => platform?.close());

  it('fails data requests with UNAVAILABLE within the bound while /health answers at once, and recovers', async () => {
    const headers = await platform.as('civil_affairs', 'social-assistance');
    const base = baseOf(platform);
    // Warm up: the audit writer's chain exists, the plan is cached.
    const warm = await platform.query(PERSON_WITH_LICENSES, { id: PERSON }, headers);
    expect(warm.status).toBe(200);
    expect(warm.errors).toBeUndefined();

    const release = await lockPlatformDatabase(platform);
    try {
      const request = timed(() => platform.query(PERSON_WITH_LICENSES, { id: PERSON }, headers));
      const health = await healthLatenciesDuring(base, request);
      const { value: refused, ms } = await request;
      const ready = await fetch(`${base}/ready`);
      const readyBody = (await ready.json()) as { problems?: string[] };
      console.log(
        `[resilience] ${engine}: locked platform database answered ${refused.status} after ${ms} ms ` +
          `(bound ${BOUND_MS} ms); /health ${health.length}× max ${Math.max(...health)} ms; ` +
          `/ready ${ready.status} ${JSON.stringify(readyBody.problems)}`,
      );
      expect(refused.status).toBe(503);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.map((e) => e.extensions?.code)).toContain('UNAVAILABLE');
      expectNothingInternal(refused);
      expect(ms).toBeLessThan(BOUND_MS + 1000);
      expect(Math.max(...health)).toBeLessThan(500);
      expect(ready.status).toBe(503);
      expect(readyBody.problems?.join(' ')).toMatch(/audit store/);

      // While it stays locked, requests keep failing fast rather than queueing.
      const again = await timed(() =>
        platform.query(PERSON_WITH_LICENSES, { id: PERSON }, headers),
      );
      expect(again.value.status).toBe(503);
      expect(again.ms).toBeLessThan(BOUND_MS + 1000);
    } finally {
      await release();
    }
    // Once released, the next attempt after the writer's pause is served.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const after = await platform.query(PERSON_WITH_LICENSES, { id: PERSON }, headers);
    expect(after.status).toBe(200);
    expect(after.errors).toBeUndefined();
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });
});

/** Adds `count` made-up people (ID numbers `Z…`) to public_security's table, in one statement per hundred thousand. */
async function addPeople(platform: TestPlatform, count: number): Promise<void> {
  const { config } = platform.database;
  const digits = `WITH d(n) AS (${[...Array(10).keys()].map((n) => `SELECT ${n}`).join(' UNION ALL ')})`;
  const insert = (batch: number) =>
    `INSERT INTO persons (id_number, name, gender, birth_date, ethnicity, region_code, address, phone) ` +
    `${digits} SELECT CONCAT('Z${batch}', LPAD(a.n + 10 * b.n + 100 * c.n + 1000 * e.n + 10000 * f.n, 16, '0')), ` +
    `'某人', 'F', '1990-01-01', '汉族', '110101', '某地', '13800000000' FROM d a, d b, d c, d e, d f`;
  const batches = [...Array(Math.ceil(count / 100_000)).keys()];
  if (config.kind === 'sqlite') {
    const db = new Database(databaseName(config, 'public_security'));
    try {
      // SQLite has no CONCAT or LPAD: the same statement in its own words.
      for (const batch of batches) {
        db.exec(
          insert(batch).replace(
            /CONCAT\('(\w+)', LPAD\((.*), 16, '0'\)\)/,
            `'$1' || printf('%016d', $2)`,
          ),
        );
      }
    } finally {
      db.close();
    }
    return;
  }
  const connection = await connectToMysql(config, 'public_security');
  try {
    for (const batch of batches) await connection.query(insert(batch));
  } finally {
    await connection.end();
  }
}

describe.each(ENGINES)('a list that scans a large table, on %s', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(engine);
    await addPeople(platform, 300_000);
  }, 120_000);
  afterAll(() => platform?.close());

  it('never holds the event loop: the keyed-hash page of a caller who may not read the ID number runs off it', async () => {
    // civil_affairs sees ID numbers masked, so its lists are ordered by a keyed hash of them:
    // every page hashes every row, a scan no index serves (its estimated cost is 2).
    const headers = await platform.as('civil_affairs', 'social-assistance');
    const list = `{ persons(first: 1) { nodes { name } } }`;
    const warm = await platform.query(list, {}, headers);
    expect(warm.errors).toBeUndefined();
    let page = { value: warm, ms: 0 };
    const watched = await watchEventLoop(async () => {
      page = await timed(() => platform.query(list, {}, headers));
    });
    // A lookup sent while the scan runs is answered before it ends.
    const scanning = timed(() => platform.query(list, {}, headers));
    const lookup = await timed(() => platform.query(PERSON_WITH_LICENSES, { id: PERSON }, headers));
    const second = await scanning;
    console.log(
      `[resilience] ${engine}: keyed-hash page over 300,400 people in ${page.ms} ms ` +
        `(again ${second.ms} ms), event loop's longest gap ${Math.round(watched.longestGap)} ms ` +
        `(${watched.ticks} ticks); a lookup meanwhile ${lookup.ms} ms`,
    );
    expect(page.value.errors).toBeUndefined();
    expect((page.value.data as { persons: { nodes: unknown[] } }).persons.nodes).toHaveLength(1);
    expect(second.value.errors).toBeUndefined();
    expect(lookup.value.errors).toBeUndefined();
    // Held on the loop, the gap was as long as the page (about 400 ms here); off it, ticks go on.
    expect(page.ms).toBeGreaterThan(100);
    expect(watched.longestGap).toBeLessThan(page.ms / 2);
    expect(lookup.ms).toBeLessThan(second.ms);
  });
});

/**
 * A stand-in for a subgraph host that answers `delayMs` late: it forwards
 * every request to `target` unchanged and holds the answer.
 */
async function slowProxy(
  target: string,
  delayMs: number,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
          headers[name] = value;
      }
      setTimeout(() => {
        fetch(target, { method: req.method, headers, body: Buffer.concat(chunks) })
          .then(async (answer) => {
            res.writeHead(answer.status, { 'content-type': 'application/json' });
            res.end(await answer.text());
          })
          .catch(() => res.destroy());
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, server };
}

/** Points the registry's `subgraph` at `url` (same SDL) and lets the gateway follow. */
async function reroute(platform: TestPlatform, subgraph: string, url: string): Promise<void> {
  const current = (await selectCurrentSubgraphs(platform.platformDb)).find(
    (v) => v.name === subgraph,
  )!;
  await insertSubgraphVersion(
    platform.platformDb,
    {
      name: subgraph,
      url,
      sdl: current.sdl,
      publishedBy: 'test',
      note: 'slow stand-in',
    },
    platform.registrySigner,
  );
  await platform.registry.poll();
}

describe('a slow subgraph', () => {
  const FETCH_MS = 1000;
  let platform: TestPlatform;
  let proxy: { url: string; server: Server };
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite', {}, (config) => ({
      ...config,
      timeouts: { ...config.timeouts, subgraphFetchMs: FETCH_MS },
    }));
    const licenses = platform.subgraphs.find((s) => s.name === 'business_environment')!;
    proxy = await slowProxy(licenses.url, 3000);
    await reroute(platform, 'business_environment', proxy.url);
  });
  afterAll(async () => {
    proxy?.server.closeAllConnections();
    proxy?.server.close();
    await platform?.close();
  });

  it('costs only its part of the answer, within the fetch timeout, naming the department and not its address', async () => {
    const headers = await platform.as('civil_affairs', 'social-assistance');
    const { value: response, ms } = await timed(() =>
      platform.query<{ person: { name: string; licenses: unknown } }>(
        PERSON_WITH_LICENSES,
        { id: PERSON },
        headers,
      ),
    );
    console.log(
      `[resilience] slow subgraph: answered ${response.status} after ${ms} ms (fetch timeout ${FETCH_MS} ms)`,
    );
    expect(response.status).toBe(200);
    expect(response.data?.person.name).toBeTruthy();
    expect(response.data?.person.licenses).toBeNull();
    const error = response.errors?.find((e) => e.extensions?.reason === 'SUBGRAPH_TIMEOUT');
    expect(error?.extensions?.code).toBe('UNAVAILABLE');
    expect(error?.extensions?.serviceName).toBe('business_environment');
    expect(error?.message).toMatch(/business_environment department did not answer within 1000 ms/);
    expectNothingInternal(response);
    expect(ms).toBeGreaterThanOrEqual(FETCH_MS - 50);
    expect(ms).toBeLessThan(FETCH_MS + 1500);
  });

  it('drains on stop: /ready turns 503 and new requests are refused while the one under way finishes', async () => {
    const headers = await platform.as('civil_affairs', 'social-assistance');
    const base = baseOf(platform);
    const underway = platform.query(PERSON_WITH_LICENSES, { id: PERSON }, headers);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopping = platform.gateway.stop();
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { status: string }).status).toBe('stopping');
    const refused = await platform.query(PERSON_WITH_LICENSES, { id: PERSON }, headers);
    expect(refused.status).toBe(503);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'SHUTTING_DOWN',
    });
    const finished = await underway;
    expect(finished.status).toBe(200);
    expect(finished.data).toBeTruthy();
    await stopping;
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });
});

describe('HTTP timeouts', () => {
  const BODY_MS = 1500;
  const HEADERS_MS = 1500;
  const REQUEST_MS = 1200;
  let platform: TestPlatform;
  let proxy: { url: string; server: Server };
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite', {}, (config) => ({
      ...config,
      timeouts: {
        ...config.timeouts,
        bodyMs: BODY_MS,
        headersMs: HEADERS_MS,
        requestMs: REQUEST_MS,
      },
    }));
    const licenses = platform.subgraphs.find((s) => s.name === 'business_environment')!;
    proxy = await slowProxy(licenses.url, 3000);
  });
  afterAll(async () => {
    proxy?.server.closeAllConnections();
    proxy?.server.close();
    await platform?.close();
  });

  /** Opens a raw connection to the gateway, writes `first`, then one byte every `everyMs`. */
  function trickle(first: string, everyMs: number): Promise<{ ms: number; answer: string }> {
    const { hostname, port } = new URL(platform.gateway.url);
    return new Promise((resolve) => {
      const started = performance.now();
      let answer = '';
      const socket = connect(Number(port), hostname, () => socket.write(first));
      const timer = setInterval(() => socket.write('x'), everyMs);
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ ms: Math.round(performance.now() - started), answer });
      });
    });
  }

  it('drops a request body trickled one byte every 3 s within the body timeout', async () => {
    const { ms, answer } = await trickle(
      'POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
      3000,
    );
    console.log(
      `[resilience] trickled body: connection closed after ${ms} ms (body timeout ${BODY_MS} ms)`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('BODY_TIMEOUT');
    expect(ms).toBeLessThan(BODY_MS + 1000);
  });

  it('drops request headers trickled one byte every 3 s within the header timeout', async () => {
    const { ms } = await trickle('POST /graphql HTTP/1.1\r\nHost: gateway\r\nX-Slow: ', 3000);
    console.log(
      `[resilience] trickled headers: connection closed after ${ms} ms (header timeout ${HEADERS_MS} ms)`,
    );
    // Node checks header timeouts once a second.
    expect(ms).toBeLessThan(HEADERS_MS + 2000);
  });

  it('answers 503 when a request is not answered within the request timeout', async () => {
    await reroute(platform, 'business_environment', proxy.url);
    const headers = await platform.as('civil_affairs', 'social-assistance');
    const { value: response, ms } = await timed(() =>
      platform.query(PERSON_WITH_LICENSES, { id: PERSON }, headers),
    );
    console.log(
      `[resilience] request timeout: answered ${response.status} after ${ms} ms (request timeout ${REQUEST_MS} ms)`,
    );
    expect(response.status).toBe(503);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'REQUEST_TIMEOUT',
    });
    expect(ms).toBeLessThan(REQUEST_MS + 1000);
  });
});

describe('hostile catalogue YAML', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(() => platform?.close());

  const SAVE = `mutation($doc: String!) {
    saveCatalogueDraft(document: $doc, changeReason: "test", triggerDate: "2026-11-20") { code }
  }`;
  const documents: [string, string, RegExp][] = [
    ['900 KB nested deeply', '['.repeat(450_000) + ']'.repeat(450_000), /at most 262144 bytes/],
    [
      '200 KB nested deeply',
      '['.repeat(100_000) + ']'.repeat(100_000),
      /nests more than 24 levels/,
    ],
    ['compact sequences', '- '.repeat(100_000) + 'x', /nests more than 24 levels/],
    [
      'an alias bomb',
      'a: &a [x, x, x, x, x, x, x, x, x]\n' +
        'bcdefgh'
          .split('')
          .map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)
          .join('\n'),
      /more than 50 aliases/,
    ],
  ];
  it.each(documents)('refuses %s fast, saying which limit', async (_, doc, message) => {
    const token = await platform.token({ department: 'public_security', roles: ['DEPT_IT'] });
    const { value: response, ms } = await timed(() =>
      platform.query(SAVE, { doc }, { authorization: `Bearer ${token}` }),
    );
    console.log(`[resilience] catalogue draft of ${doc.length} characters refused in ${ms} ms`);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toMatch(message);
    expect(ms).toBeLessThan(1000);
  });
});

describe('SIGTERM, as a container runtime sends it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'govdata-sigterm-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /**
   * The process that runs scripts/start.ts itself: the deepest one with it on
   * its command line that is not one of its gateway's cluster workers.
   */
  function platformProcessOf(root: number): number {
    const running = descendantsOf(root).filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
        return cmdline.includes('scripts/start.ts') && !environ.includes('NODE_UNIQUE_ID=');
      } catch {
        return false;
      }
    });
    expect(running.length).toBeGreaterThan(0);
    return running.at(-1)!;
  }

  /**
   * Spawns `command`, waits for the gateway URL, sends SIGTERM to that one
   * process (as a container runtime does to its first process), and waits
   * until every process holding its output has ended. With `busyMs`, the
   * platform's own process is held (SIGSTOP) from just before the signal until
   * that long after it, as an event loop busy with a long task would be.
   */
  async function startThenTerminate(command: string, args: string[], busyMs = 0) {
    const child: ChildProcess = spawn(command, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: '0',
        SUBGRAPH_PORT_BASE: '0',
        SEED_SCALE: '100',
        LOG_LEVEL: 'error',
      },
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    // The platform's processes inherit the output pipe: it ends when the last of them has.
    const allEnded = new Promise<void>((resolve) => child.stdout!.on('close', () => resolve()));
    const gatewayUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no gateway URL within 90 s:\n${output}`)),
        90_000,
      );
      child.stdout!.on('data', () => {
        const match = /gateway\s+(http:\/\/\S+\/graphql)/.exec(output);
        if (match && output.includes('GraphiQL')) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect((await fetch(gatewayUrl.replace(/graphql$/, 'health'))).status).toBe(200);
    const started = performance.now();
    if (busyMs > 0) {
      const platformPid = platformProcessOf(child.pid!);
      process.kill(platformPid, 'SIGSTOP');
      setTimeout(() => process.kill(platformPid, 'SIGCONT'), busyMs);
    }
    child.kill('SIGTERM');
    const code = await exited;
    await allEnded;
    const ms = Math.round(performance.now() - started);
    console.log(
      `[resilience] ${command} ${args.join(' ')}: exit ${code}, every process gone ${ms} ms after SIGTERM`,
    );
    return { code, output, gatewayUrl, ms };
  }

  async function portIsFree(url: string): Promise<boolean> {
    const { port } = new URL(url);
    const probe = createServer();
    return new Promise((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(Number(port), '127.0.0.1', () => probe.close(() => resolve(true)));
    });
  }

  it('stops `npm start`: it drains, exits 0 and frees the port', async () => {
    const { code, output, gatewayUrl } = await startThenTerminate('npm', ['start']);
    expect(output).toContain('SIGTERM: stopping');
    expect(code).toBe(0);
    expect(await portIsFree(gatewayUrl)).toBe(true);
  }, 120_000);

  it('stops `npm start` as cleanly when the signal finds the platform busy for a while', async () => {
    // Nothing between npm and the platform may decide it is hung and kill it
    // unsaved: tsx's command-line launcher SIGKILLs its child when the child
    // has not answered a relayed signal within 60 ms.
    const { code, output, gatewayUrl } = await startThenTerminate('npm', ['start'], 500);
    expect(output).toContain('SIGTERM: stopping');
    expect(code).toBe(0);
    expect(await portIsFree(gatewayUrl)).toBe(true);
  }, 120_000);

  it('stops `npx tsx scripts/start.ts` too, though npx passes the signal to no one', async () => {
    // npx ends at once (killed by the signal) and its shell with it; the
    // platform notices its launcher is gone and stops as on SIGTERM.
    const { output, gatewayUrl, ms } = await startThenTerminate('npx', ['tsx', 'scripts/start.ts']);
    expect(output).toMatch(/(SIGTERM|launcher exited): stopping/);
    expect(ms).toBeLessThan(15_000);
    expect(await portIsFree(gatewayUrl)).toBe(true);
  }, 120_000);
});
