/**
 * Issue 12: one consumer must not stall the others. A consumer flooding the
 * gateway with many concurrent operations, each within the operation limits
 * and its rates, gets its share of the gateway at a time and 429 beyond its
 * queue, while another consumer's light lookups keep answering and `/health`
 * answers at once. Through HTTP, on SQLite (the gate is the gateway's and does
 * not depend on the engine). Timings are logged and asserted generously: the
 * machine is shared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformConfig } from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import {
  startTestPlatform,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

const PERSON = personIdNumberAt(DEMO_PERSON_INDEX);
const LIGHT = `query Light($id: String!) { person(idNumber: $id) { name regionCode } }`;
/** The stress bench's operation: cost 9,101 of the authenticated limit of 10,000, six subgraphs. */
const HEAVY = `query Heavy {
  persons(first: 100) { nodes { name regionCode
    licenses { licenseNumber kind holderPerson { name } holderEnterprise { name } }
    creditRecords { category authority subjectPerson { name } }
    landParcels { landUse areaSqm holderPerson { name } }
    utilityAccounts { accountNumber monthlyUsageM3 }
    representedEnterprises { name } } } }`;

/** The flooding application: one request in flight on the gateway, two waiting; rates lifted. */
const FLOOD_APP = 'flood-app';
const FLOOD_SHARE = { inFlight: 1, queued: 2 };
/** Connections the flood keeps busy (the stress bench uses 32). */
const FLOOD_CONNECTIONS = 32;
/**
 * How long the light lookups run under the flood: at about 300 ms each on a
 * busy 2-core machine, 6 s gives some twenty of them, so their p95 is not
 * simply the slowest one (3 s gave nine, and one 929 ms outlier failed a run).
 */
const FLOOD_MS = 6000;
/**
 * Generous bounds (the machine is shared): the light lookups' p95 under the
 * flood, this or a multiple of their p50 alone, whichever is larger (measured
 * with admission control: 9–13×; without it: about 270×, and only 3 lookups
 * answered in the 3 s); /health.
 */
const LIGHT_WITHIN_MS = 500;
const LIGHT_WITHIN_TIMES_ALONE = 30;
const HEALTH_WITHIN_MS = 1000;

function withFloodApp(config: PlatformConfig): PlatformConfig {
  return {
    ...config,
    limits: {
      ...config.limits,
      applications: {
        ...config.limits.applications,
        [`civil_affairs/${FLOOD_APP}`]: {
          ...FLOOD_SHARE,
          requestsPerSecond: 100_000,
          costPerSecond: 100_000_000,
        },
      },
    },
  };
}

interface Sent {
  status: number;
  ms: number;
  retryAfter: string | null;
  requestIdHeader: string | null;
  body: GraphQLResponse;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

describe('admission control at the gateway (sqlite)', () => {
  let platform: TestPlatform;
  let flood: Record<string, string>;
  let light: Record<string, string>;

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite', {}, withFloodApp);
    flood = await platform.as('civil_affairs', 'social-assistance', { application: FLOOD_APP });
    light = await platform.as('civil_affairs', 'social-assistance');
  });

  afterAll(async () => {
    await platform?.close();
  });

  async function send(query: string, variables: object, headers: Record<string, string>) {
    const started = performance.now();
    const response = await fetch(platform.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLResponse;
    return {
      status: response.status,
      ms: performance.now() - started,
      retryAfter: response.headers.get('retry-after'),
      requestIdHeader: response.headers.get('x-request-id'),
      body,
    } satisfies Sent;
  }

  const lookup = () => send(LIGHT, { id: PERSON }, light);
  const heavy = () => send(HEAVY, {}, flood);
  const health = async () => {
    const started = performance.now();
    const response = await fetch(platform.gateway.url.replace(/\/graphql$/, '/health'));
    await response.text();
    return { status: response.status, ms: performance.now() - started };
  };

  it("keeps another consumer's light lookups and /health answering while one consumer floods it", async () => {
    // Both operations answer in full, and the light lookup's time alone.
    const first = await heavy();
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const alone: number[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await lookup();
      expect(answer.body.errors).toBeUndefined();
      alone.push(answer.ms);
    }

    let flooding = true;
    const statuses: number[] = [];
    // A client that ignores Retry-After but pauses a moment, so the test's request count stays bounded.
    const floodLoop = async () => {
      while (flooding) {
        const sent = await heavy();
        statuses.push(sent.status);
        if (sent.status === 429) await new Promise((r) => setTimeout(r, 100));
      }
    };
    const floods = Array.from({ length: FLOOD_CONNECTIONS }, floodLoop);
    await new Promise((r) => setTimeout(r, 300));
    const under: number[] = [];
    const healthTimes: number[] = [];
    const until = performance.now() + FLOOD_MS;
    const healthLoop = (async () => {
      while (performance.now() < until) {
        const answer = await health();
        expect(answer.status).toBe(200);
        healthTimes.push(answer.ms);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    while (performance.now() < until) {
      const answer = await lookup();
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toMatchObject({ person: { name: expect.any(String) } });
      under.push(answer.ms);
    }
    await healthLoop;
    flooding = false;
    await Promise.all(floods);

    const served = statuses.filter((s) => s === 200).length;
    const refused = statuses.filter((s) => s === 429).length;
    const bound = Math.max(LIGHT_WITHIN_MS, LIGHT_WITHIN_TIMES_ALONE * percentile(alone, 50));
    console.log(
      `light lookup alone p50 ${percentile(alone, 50).toFixed(0)} ms, max ${Math.max(...alone).toFixed(0)} ms; ` +
        `under a ${FLOOD_CONNECTIONS}-connection flood (${served} heavy answered, ${refused} refused with 429): ` +
        `${under.length} lookups, p50 ${percentile(under, 50).toFixed(0)} ms, p95 ${percentile(under, 95).toFixed(0)} ms, ` +
        `max ${Math.max(...under).toFixed(0)} ms (bound on p95 ${bound.toFixed(0)} ms); ` +
        `/health max ${Math.max(...healthTimes).toFixed(0)} ms`,
    );
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(served).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(under.length).toBeGreaterThanOrEqual(5);
    // With fewer than twenty lookups, p95 is simply the slowest one: one outlier
    // (a pause of the shared machine) is then allowed, the next slowest is not.
    const tail =
      under.length >= 20 ? percentile(under, 95) : [...under].sort((a, b) => a - b).at(-2)!;
    expect(tail).toBeLessThan(bound);
    expect(Math.max(...healthTimes)).toBeLessThan(HEALTH_WITHIN_MS);
  });

  it('refuses the flooding consumer with 429, Retry-After and the limit named once its queue is full', async () => {
    const burst = FLOOD_SHARE.inFlight + FLOOD_SHARE.queued + 5;
    const sent = await Promise.all(Array.from({ length: burst }, heavy));
    const answered = sent.filter((s) => s.status === 200);
    const refused = sent.filter((s) => s.status === 429);
    console.log(
      `${burst} heavy at once: ${answered.length} answered, ${refused.length} refused in at most ` +
        `${Math.max(...refused.map((s) => s.ms)).toFixed(0)} ms`,
    );
    expect(answered.length + refused.length).toBe(burst);
    expect(answered.length).toBeGreaterThanOrEqual(FLOOD_SHARE.inFlight + FLOOD_SHARE.queued);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const answer of answered) expect(answer.body.errors).toBeUndefined();
    for (const refusal of refused) {
      expect(Number(refusal.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(refusal.body.data ?? null).toBeNull();
      expect(refusal.body.errors).toHaveLength(1);
      const [error] = refusal.body.errors!;
      expect(error!.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        limit: 'queued',
        maximum: FLOOD_SHARE.queued,
        waitingOn: 'inFlight',
        retryAfter: Number(refusal.retryAfter),
        requestId: refusal.requestIdHeader,
      });
      expect(error!.message).toMatch(/queue is full.*Retry after 1 s/);
    }
    // Another consumer is not held by the flooding one's queue.
    const other = await lookup();
    expect(other.status).toBe(200);
    expect(other.body.errors).toBeUndefined();
  });
});
