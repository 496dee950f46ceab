import { buildSchema, parse } from 'graphql';
import { estimateCost, measureDocument } from '../../gateway/limits/index.ts';
import { createLogger, mintDevToken, type PlatformConfig } from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { startPlatform } from '../platform/index.ts';
import { runAutocannon, type LoadResult } from './runAutocannon.ts';

export interface StressBenchSetup {
  config: PlatformConfig;
  seconds: number;
  /** Connections sending the costly operations (the issue asks for 32). */
  connections: number;
  log: (message: string) => void;
}

/** The light lookup whose latency is watched: one person's name, one subgraph. */
const LIGHT = `query Light($idNumber: String!) { person(idNumber: $idNumber) { name regionCode } }`;

/**
 * The costliest operation the authenticated limits allow (checked at start):
 * a page of 100 people, each with licences and their holders, credit records,
 * land parcels, water accounts and represented enterprises — six subgraphs,
 * cost just under the limit of 10,000.
 */
const HEAVY = `query Heavy {
  persons(first: 100) { nodes { name regionCode
    licenses { licenseNumber kind holderPerson { name } holderEnterprise { name } }
    creditRecords { category authority } landParcels { landUse areaSqm }
    utilityAccounts { accountNumber monthlyUsageM3 }
    representedEnterprises { name licenses { licenseNumber } } } } }`;

/** The application whose rates are lifted: only the operation limits bound it. */
const UNCAPPED = 'stress-uncapped';
/** The application held to the default per-consumer rates. */
const CAPPED = 'stress-capped';

export interface StressPhase {
  name: string;
  light: LoadResult;
  heavy: LoadResult | null;
}

export interface StressResult {
  heavyCost: number;
  heavyDepth: number;
  phases: StressPhase[];
}

/**
 * A light lookup's latency at one connection, measured alone and then while
 * `connections` connections send the costliest operation the limits allow:
 * once from an application held to the default rates (most of its requests are
 * refused with 429 once its cost per second is spent), once from one whose
 * rates are lifted (only the operation limits bound it — the worst case, as if
 * many consumers sent it at once). The light lookup is another consumer's.
 */
export async function runStressBench(setup: StressBenchSetup): Promise<StressResult> {
  const { config, log, seconds } = setup;
  const limits = {
    ...config.limits,
    applications: {
      ...config.limits.applications,
      [`civil_affairs/${UNCAPPED}`]: { requestsPerSecond: 1_000_000, costPerSecond: 1_000_000_000 },
    },
  };
  const platform = await startPlatform(
    { ...config, limits, gatewayPort: 0, subgraphPortBase: 0 },
    { ephemeralPorts: true, logger: createLogger({ logLevel: 'error' }) },
  );
  try {
    const schema = buildSchema(await platform.registry.compose(), { assumeValidSDL: true });
    const heavyCost = estimateCost(schema, parse(HEAVY), null, {});
    const heavyDepth = measureDocument(schema, parse(HEAVY), HEAVY).depth;
    if (heavyCost > config.limits.authenticated.cost) {
      throw new Error(`the heavy operation costs ${heavyCost}, over the authenticated limit`);
    }
    const headers = async (application?: string) => ({
      authorization: `Bearer ${await mintDevToken(config.auth, {
        department: 'civil_affairs',
        roles: ['APP_DEVELOPER'],
        ...(application ? { application } : {}),
        expiresIn: '2h',
      })}`,
      'x-purpose': 'social-assistance',
    });
    const url = platform.gateway.url;
    const light = {
      url,
      body: JSON.stringify({
        query: LIGHT,
        variables: { idNumber: personIdNumberAt(DEMO_PERSON_INDEX) },
      }),
      headers: await headers(),
      connections: 1,
      seconds,
    };
    const heavyBody = JSON.stringify({ query: HEAVY });
    for (const [name, request] of [
      ['light', light],
      ['heavy', { ...light, body: heavyBody, headers: await headers(UNCAPPED) }],
    ] as const) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: request.body,
      });
      const answer = (await response.json()) as { data?: unknown; errors?: unknown[] };
      if (response.status !== 200 || !answer.data || answer.errors?.length) {
        throw new Error(
          `the ${name} operation does not answer in full: ${JSON.stringify(answer).slice(0, 300)}`,
        );
      }
    }
    const phases: StressPhase[] = [];
    log(`light lookup alone, ${seconds} s`);
    phases.push({ name: 'alone', light: await runAutocannon(light), heavy: null });
    for (const [name, application] of [
      ['with 32 connections of heavy operations, default rates', CAPPED],
      ['with 32 connections of heavy operations, rates lifted', UNCAPPED],
    ] as const) {
      log(`light lookup ${name}, ${seconds} s`);
      const heavy = runAutocannon({
        url,
        body: heavyBody,
        headers: await headers(application),
        connections: setup.connections,
        seconds: seconds + 2,
      });
      // The heavy load starts first and outlasts the light measurement.
      await new Promise((r) => setTimeout(r, 1000));
      const lightResult = await runAutocannon(light);
      phases.push({ name, light: lightResult, heavy: await heavy });
    }
    return { heavyCost, heavyDepth, phases };
  } finally {
    await platform.stop();
  }
}

/** The suite's table: the light lookup's latency per phase, and the ratio of its p99 to the one alone. */
export function stressReport(result: StressResult, connections: number): string {
  const alone = result.phases[0]!.light;
  const rows = result.phases.map((phase) => {
    const { light, heavy } = phase;
    const heavyCell = heavy
      ? `${Math.round(heavy.requestsPerSecond)} req/s, ${heavy.non2xx} refused (429)`
      : '—';
    return `| ${phase.name} | ${Math.round(light.requestsPerSecond)} | ${light.p50} | ${light.p95.toFixed(1)} | ${light.p99} | ${(light.p99 / alone.p99).toFixed(2)}× | ${light.errors + light.non2xx} | ${heavyCell} |`;
  });
  return [
    `The heavy operation: a page of 100 people with their licences (and holders), credit records, land parcels, water accounts and represented enterprises (six subgraphs), estimated cost ${result.heavyCost} of the authenticated limit, depth ${result.heavyDepth}; sent by ${connections} connections. The light lookup: one person's name at one connection, another consumer.`,
    '',
    '| light lookup | req/s | p50 ms | p95 ms | p99 ms | p99 vs alone | errors | heavy load |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}
