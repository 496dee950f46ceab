/**
 * Operators can see it: a caller's trace continues through the gateway and
 * every subgraph it touched; the request's log line names it (request id,
 * trace id) and holds no value it answered and no credential; `/metrics` on
 * the gateway and a subgraph host counts the request, the access decisions
 * and the audit commit — summed over the workers of `npm run gateway`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, startTracing, verifyAuditChains } from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { waitFor } from '../support/responses.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const GATEWAY = join(ROOT, 'scripts', 'gateway.ts');

/** The README's example query: five departments answer parts of it. */
const PERSON = `query PersonWithRecords($idNumber: String!) { person(idNumber: $idNumber) { name gender regionCode phone licenses { licenseNumber kind status } creditRecords { category authority decidedOn } landParcels { parcelCode landUse areaSqm } utilityAccounts { accountNumber address monthlyUsageM3 arrears } } }`;
const ID_NUMBER = personIdNumberAt(DEMO_PERSON_INDEX);

/** A caller's W3C trace context, with a trace id of its own; sampled unless told otherwise. */
function callerTrace(sampled = true): { traceparent: string; traceId: string; spanId: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceparent: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`, traceId, spanId };
}

/** The finished spans of `traceId`, once the gateway's request span has ended. */
function spansOfTrace(exporter: InMemorySpanExporter, traceId: string) {
  return waitFor('the gateway span to end', async () => {
    const all = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    return all.some((s) => s.name === 'gateway POST /graphql') ? all : undefined;
  });
}

/**
 * The gateway's spans of one request: its SERVER span, child of the caller's;
 * planning and one fetch per subgraph, children of it; and each subgraph's
 * SERVER span a child of the gateway's fetch to it. Returns the subgraphs fetched.
 */
function expectGatewaySpans(spans: ReadableSpan[], callerSpanId: string): Set<string> {
  const names = spans.map((s) => s.name);
  const server = spans.find((s) => s.name === 'gateway POST /graphql')!;
  expect(server.parentSpanContext?.spanId).toBe(callerSpanId);
  expect(names).toEqual(expect.arrayContaining(['gateway.plan', 'gateway.fetch']));
  for (const span of spans.filter((s) => s.name.startsWith('gateway.')))
    expect(span.parentSpanContext?.spanId, span.name).toBe(server.spanContext().spanId);
  const fetches = spans.filter((s) => s.name === 'gateway.fetch');
  const fetched = new Set(fetches.map((s) => String(s.attributes.service)));
  expect([...fetched].sort()).toEqual(
    expect.arrayContaining(['business_environment', 'city_water', 'public_security']),
  );
  const fetchSpanIds = new Set(fetches.map((s) => s.spanContext().spanId));
  for (const subgraph of fetched) {
    const served = spans.filter((s) => s.name === `subgraph ${subgraph}`);
    expect(served.length, `spans of ${subgraph}`).toBeGreaterThan(0);
    for (const span of served) expect(fetchSpanIds.has(span.parentSpanContext!.spanId)).toBe(true);
  }
  return fetched;
}

/** Every string and number leaf of a response's data, as text. */
function leafValues(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'number') into.push(String(value));
  else if (Array.isArray(value)) for (const v of value) leafValues(v, into);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) leafValues(v, into);
  return into;
}

/** The sum of every series of `name` whose labels include `labels`, in Prometheus text. */
function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? ([\d.eE+-]+|NaN|\+Inf)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(match[4]);
  }
  return sum;
}

/** GET over a fresh connection (no keep-alive), so the cluster hands it to any worker. */
function getFresh(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    })
      .on('error', reject)
      .end();
  });
}

function postFresh(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; json: { data?: unknown; errors?: unknown[] } }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          ...headers,
        },
      },
      (res) => {
        let answer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (answer += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(answer) }));
      },
    )
      .on('error', reject)
      .end(text);
  });
}

describe('observability: traces, request logs and metrics of one platform process', () => {
  const exporter = new InMemorySpanExporter();
  const logged: string[] = [];
  let stopTracing: () => Promise<void>;
  let platform: TestPlatform;
  let headers: Record<string, string>;
  let token: string;

  beforeAll(async () => {
    stopTracing = startTracing(null, { exporter });
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    platform = await startTestPlatform('sqlite', {
      logger: createLogger({ logLevel: 'info' }, destination),
    });
    headers = await platform.as('civil_affairs', 'social-assistance');
    token = headers.authorization!.replace(/^Bearer /, '');
  });

  afterAll(async () => {
    await platform?.close();
    await stopTracing?.();
  });

  it("continues the caller's trace: spans of the gateway and of every subgraph it fetched from, under the caller's trace id", async () => {
    const caller = callerTrace();
    const response = await platform.query(
      PERSON,
      { idNumber: ID_NUMBER },
      { ...headers, traceparent: caller.traceparent },
    );
    expect((response.data as { person: { name: string } }).person.name).toBeTruthy();
    const spans = await spansOfTrace(exporter, caller.traceId);
    expectGatewaySpans(spans, caller.spanId);
    const names = spans.map((s) => s.name);
    // Rule evaluation and SQL have spans too, and no SQL span holds a value.
    expect(names).toContain('access decision');
    const sql = spans.filter((s) => s.name === 'sql');
    expect(sql.length).toBeGreaterThan(0);
    expect(JSON.stringify(sql.map((s) => s.attributes))).not.toContain(ID_NUMBER);
  });

  it("records nothing for a caller's unsampled trace, on the gateway or any subgraph, and still logs its trace id", async () => {
    const caller = callerTrace(false);
    const marker = callerTrace();
    await platform.query(
      PERSON,
      { idNumber: ID_NUMBER },
      { ...headers, traceparent: caller.traceparent },
    );
    // A sampled request after it: once its spans are in, the unsampled one's would be too.
    await platform.query(
      PERSON,
      { idNumber: ID_NUMBER },
      { ...headers, traceparent: marker.traceparent },
    );
    await spansOfTrace(exporter, marker.traceId);
    const recorded = exporter
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === caller.traceId);
    expect(recorded.map((s) => s.name)).toEqual([]);
    const lines = logged
      .flatMap((l) => l.split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { traceId?: string; msg?: string });
    const ofCaller = lines.filter((l) => l.traceId === caller.traceId);
    expect(ofCaller.some((l) => l.msg === 'request')).toBe(true);
    expect(ofCaller.some((l) => l.msg === 'subgraph request')).toBe(true);
  });

  it('logs one line for the request with its request id and trace id, and no value it answered nor the token', async () => {
    const caller = callerTrace();
    logged.length = 0;
    const response = await platform.query(
      PERSON,
      { idNumber: ID_NUMBER },
      { ...headers, traceparent: caller.traceparent, 'x-request-id': 'client-ref-1' },
    );
    const requestId = response.errors?.[0]?.extensions?.requestId as string;
    expect(requestId).toMatch(/^[\da-f-]{36}$/);
    const line = await waitFor('the request log line', async () => {
      const found = logged
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'request' && l.requestId === requestId);
      return found;
    });
    expect(line).toMatchObject({
      requestId,
      correlationId: 'client-ref-1',
      traceId: caller.traceId,
      department: 'civil_affairs',
      operationName: 'PersonWithRecords',
      outcome: 'PARTIAL',
      code: 'FORBIDDEN',
    });
    expect(line.subgraphFetches).toBeGreaterThanOrEqual(3);
    expect(typeof line.latencyMs).toBe('number');
    // The subgraphs logged their part under the same request and trace.
    const subgraphLines = logged
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'subgraph request' && l.requestId === requestId);
    expect(subgraphLines.length).toBeGreaterThanOrEqual(3);
    for (const l of subgraphLines) expect(l.traceId).toBe(caller.traceId);
    // The attack on privacy: search the whole log for what the caller received.
    const text = logged.join('');
    const values = leafValues(response.data).filter((v) => v.length >= 4);
    expect(values.length).toBeGreaterThan(5);
    for (const value of values) expect(text, `a received value in the log`).not.toContain(value);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain(token);
  });

  it('redacts credentials even when code logs headers', () => {
    const lines: string[] = [];
    const logger = createLogger(
      { logLevel: 'info' },
      new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${token}`, 'x-api-key': 'key-secret-1' } },
        headers: { cookie: 'session=abc123', 'x-govdata-context': 'signed-ctx' },
        variables: { idNumber: ID_NUMBER },
      },
      'a careless line',
    );
    const text = lines.join('');
    for (const secret of [token, 'key-secret-1', 'session=abc123', 'signed-ctx', ID_NUMBER]) {
      expect(text).not.toContain(secret);
    }
    // Control: the line was written, with the placeholder.
    expect(text).toContain('[redacted]');
  });

  it("records the trace id in the request's audit record, and the chains still verify", async () => {
    const caller = callerTrace();
    const response = await platform.query(
      PERSON,
      { idNumber: ID_NUMBER },
      { ...headers, traceparent: caller.traceparent },
    );
    const requestId = response.errors?.[0]?.extensions?.requestId as string;
    // A credential that does not verify is refused, and its record carries the trace id too.
    const refusedCaller = callerTrace();
    const refused = await postFresh(
      platform.gateway.url,
      { query: '{ __typename }' },
      { authorization: 'Bearer not-a-token', traceparent: refusedCaller.traceparent },
    );
    expect(refused.status).toBe(401);
    const refusedId = (refused.json.errors?.[0] as { extensions: { requestId: string } }).extensions
      .requestId;
    // Auditors read it through the API, and it leads to the trace.
    const auditor = {
      authorization: `Bearer ${await platform.token({ department: 'data_office', roles: ['REVIEWER'] })}`,
    };
    const read = async (id: string) =>
      (
        await platform.query<{ auditRecords: { nodes: { traceId: string | null }[] } }>(
          'query($f: AuditFilter) { auditRecords(filter: $f) { nodes { traceId } } }',
          { f: { requestId: id, kind: 'REQUEST' } },
          auditor,
        )
      ).data!.auditRecords.nodes;
    expect(await read(requestId)).toEqual([{ traceId: caller.traceId }]);
    expect(
      await waitFor('the refusal on the record', async () => {
        const nodes = await read(refusedId);
        return nodes.length > 0 ? nodes : undefined;
      }),
    ).toEqual([{ traceId: refusedCaller.traceId }]);
    expect(await verifyAuditChains(platform.platformDb)).toMatchObject({ ok: true, problems: [] });
  });

  it('/metrics on the gateway and on a subgraph host counts the request, the access decisions and the audit commits', async () => {
    const gatewayBase = platform.gateway.url.replace(/\/graphql$/, '');
    const before = (await getFresh(`${gatewayBase}/metrics`)).text;
    await platform.query(PERSON, { idNumber: ID_NUMBER }, headers);
    const gateway = await getFresh(`${gatewayBase}/metrics`);
    expect(gateway.status).toBe(200);
    const labels = { operation: 'PersonWithRecords', outcome: 'PARTIAL' };
    expect(
      metricSum(gateway.text, 'govdata_gateway_requests_total', labels) -
        metricSum(before, 'govdata_gateway_requests_total', labels),
    ).toBe(1);
    expect(
      metricSum(gateway.text, 'govdata_subgraph_fetch_duration_seconds_count', {
        subgraph: 'public_security',
      }),
    ).toBeGreaterThan(0);
    const host = platform.subgraphs.find((s) => s.name === 'public_security')!;
    const subgraph = await getFresh(host.url.replace(/\/graphql$/, '/metrics'));
    expect(subgraph.status).toBe(200);
    expect(
      metricSum(subgraph.text, 'govdata_access_decisions_total', {
        consumer: 'civil_affairs',
      }),
    ).toBeGreaterThan(0);
    expect(metricSum(subgraph.text, 'govdata_audit_commit_duration_seconds_count')).toBeGreaterThan(
      0,
    );
    expect(metricSum(subgraph.text, 'govdata_db_pool_connections')).toBeGreaterThan(0);
    // The dashboard shows only metrics that exist (each name is declared in the text, if not yet observed).
    const dashboard = readFileSync(join(ROOT, 'deploy', 'grafana', 'govdata.json'), 'utf8');
    const shown = new Set(
      [...dashboard.matchAll(/govdata_[a-z0-9_]+/g)].map((m) => m[0].replace(/_bucket$/, '')),
    );
    expect(shown.size).toBeGreaterThan(10);
    for (const name of shown) {
      expect(`${gateway.text}\n${subgraph.text}`, name).toMatch(
        new RegExp(`^# TYPE ${name} `, 'm'),
      );
    }
    // No request id and no value is ever a label.
    expect(subgraph.text).not.toContain(ID_NUMBER);
    expect(gateway.text).not.toMatch(/[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}/);
  });
});

describe('observability: a gateway traces without async-context tracking (as `npm run gateway` does)', () => {
  const exporter = new InMemorySpanExporter();
  let stopTracing: () => Promise<void>;
  let platform: TestPlatform;

  beforeAll(async () => {
    stopTracing = startTracing(null, { exporter, asyncContext: false });
    platform = await startTestPlatform('sqlite');
  });

  afterAll(async () => {
    await platform?.close();
    await stopTracing?.();
  });

  it("parents planning, fetches and the subgraphs' spans explicitly, under the caller's trace", async () => {
    const caller = callerTrace();
    const headers = await platform.as('civil_affairs', 'social-assistance');
    const response = await platform.query(
      PERSON,
      { idNumber: ID_NUMBER },
      { ...headers, traceparent: caller.traceparent },
    );
    expect((response.data as { person: { name: string } }).person.name).toBeTruthy();
    expectGatewaySpans(await spansOfTrace(exporter, caller.traceId), caller.spanId);
  });
});

describe('observability: /metrics of `npm run gateway -- --workers 2` sums its workers and its primary', () => {
  let platform: TestPlatform;
  let gateway: ChildProcess | undefined;
  let output = '';
  let url: string;

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    gateway = spawn(
      process.execPath,
      ['--import', 'tsx', GATEWAY, '--workers', '2', '--port', '0'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATA_DIR: platform.database.dir,
          DATABASE_URL: '',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    gateway.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    gateway.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    url = await waitFor(
      'the workers to serve',
      async () => /\[gateway\] 2 worker\(s\) serving (http:\/\/\S+)/.exec(output)?.[1],
      60_000,
    );
  });

  afterAll(async () => {
    if (gateway && gateway.exitCode === null) {
      const exited = new Promise((resolve) => gateway!.once('close', resolve));
      gateway.kill('SIGTERM');
      await exited;
    }
    await platform?.close();
  });

  it('counts requests answered by both workers and the commits of the primary, whoever is scraped', async () => {
    const headers = await platform.as('civil_affairs', 'social-assistance');
    // Fresh connections: the primary hands them to the workers in turn.
    for (let i = 0; i < 2; i++) {
      const answered = await postFresh(
        url,
        { query: PERSON, variables: { idNumber: ID_NUMBER } },
        headers,
      );
      expect(answered.status).toBe(200);
    }
    const metricsUrl = url.replace(/\/graphql$/, '/metrics');
    for (let scrape = 0; scrape < 2; scrape++) {
      const { status, text } = await getFresh(metricsUrl);
      expect(status).toBe(200);
      expect(
        metricSum(text, 'govdata_gateway_requests_total', { operation: 'PersonWithRecords' }),
      ).toBe(2);
      // The primary's audit writer committed both REQUEST records.
      expect(
        metricSum(text, 'govdata_audit_records_total', { outcome: 'ok' }),
      ).toBeGreaterThanOrEqual(2);
      expect(metricSum(text, 'govdata_audit_commit_duration_seconds_count')).toBeGreaterThanOrEqual(
        1,
      );
    }
    // The subgraph host (the platform process here) decided the accesses.
    const host = platform.subgraphs.find((s) => s.name === 'public_security')!;
    const subgraph = await getFresh(host.url.replace(/\/graphql$/, '/metrics'));
    expect(
      metricSum(subgraph.text, 'govdata_access_decisions_total', { consumer: 'civil_affairs' }),
    ).toBeGreaterThanOrEqual(2);
  });
});
