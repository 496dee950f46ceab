import { Agent, request } from 'undici';
import { ACCESS_RECORDS_EXTENSION, newRequestId } from '../../server/index.ts';
import { UNGOVERNED_HANDLE_REQUEST } from '../../subgraphs/kit/index.ts';
import { lookupBodies } from './operations.ts';
import {
  benchFetchMac,
  benchFetchToken,
  type BenchFetch,
  DEPARTMENT,
  ENTITIES_REQUEST_ID,
  entitiesBody,
  servePublicSecurity,
  type PublicSecuritySetup,
} from './publicSecurityServers.ts';
import { quantile } from './summarize.ts';

export interface GovernanceBenchSetup extends PublicSecuritySetup {
  /** Pairs of blocks (one governed, one ungoverned) measured per fetch. */
  blocks: number;
  /** Requests in each block. */
  blockSize: number;
  /** Requests per side sent before measuring, to warm both up. */
  warmUp: number;
}

/** One fetch's cost with and without governance: CPU µs per request, medians over blocks. */
export interface GovernanceRow {
  fetch: string;
  governedUs: number;
  /** The same subgraph with the caller's identity (the context token verified) but no rules or audit. */
  identityUs: number;
  ungovernedUs: number;
  /** The median of each round of blocks' difference, governed − ungoverned: what governance costs the fetch. */
  governanceUs: number;
  /** Quartiles of those differences. */
  lowerUs: number;
  upperUs: number;
  /** The median of identity − ungoverned: the part of it that is the token's verification. */
  identityOnlyUs: number;
  blocks: number;
}

/** One request as the gateway sends it: its body, a fresh token's headers, and how its answer is read. */
interface Sent {
  body: string;
  headers: Record<string, string>;
  fetch: BenchFetch;
}

/**
 * What governance costs a department subgraph per fetch, measured so that the
 * machine's drift cannot pass for it: the governed subgraph (context token
 * under the gateway's MAC, sharing rules, the ACCESS record signed and handed
 * back), the same subgraph with the token verified but no rules or audit
 * (what the identity alone costs), and the same subgraph without identity,
 * rules or audit, all in this process, sent the same fetches one at a time in
 * rounds of three blocks whose order turns and reverses from round to round.
 * The CPU of each block is the process's (client and subgraph alike, so the
 * client's share cancels in the difference); each round gives one difference
 * per side, and the median of those is the figure. Run twice: the single
 * lookup's fetch, and the `_entities` fetch for 100 people (with a masked
 * item) that a page of people makes. Tokens are made before each block is
 * timed, as the gateway makes them (a fresh request id and hand-back nonce for
 * the lookup), for every side alike, so that the client's work is the same on
 * all: with tokens for the governed side only, two ungoverned subgraphs
 * measured against each other differed by about 100 µs per fetch.
 */
export async function runGovernanceBench(setup: GovernanceBenchSetup): Promise<GovernanceRow[]> {
  const { config, departmentDb, log } = setup;
  const { servers: sides, stop } = await servePublicSecurity(setup, {
    governed: 'governed',
    identity: 'rules off',
    ungoverned: 'ungoverned',
  });
  const mac = benchFetchMac(config, setup.keys.privateKey, DEPARTMENT);
  const dispatcher = new Agent({ connections: 2 });
  try {
    const lookups = lookupBodies(config.seedScale);
    let nextLookup = 0;
    // Handles open only within the request they were sealed for (without identity, one for all).
    const governedEntities = await entitiesBody(departmentDb, setup.joinKey);
    const entities = {
      governed: governedEntities,
      identity: governedEntities,
      ungoverned: await entitiesBody(departmentDb, setup.joinKey, UNGOVERNED_HANDLE_REQUEST),
    };
    const fetches = [
      {
        name: 'the single lookup (one person)',
        bodies: (_side: keyof typeof sides) => lookups[nextLookup++ % lookups.length]!,
        requestId: () => newRequestId(),
        answered: (text: string) => text.includes('"idNumber":'),
      },
      {
        name: '100 people’s entities (a masked item)',
        bodies: (side: keyof typeof sides) => entities[side],
        requestId: () => ENTITIES_REQUEST_ID,
        answered: (text: string) => (text.match(/"idNumber":/g) ?? []).length === 100,
      },
    ];
    const rows: GovernanceRow[] = [];
    for (const fetch of fetches) {
      log(`governance: ${fetch.name}`);
      const prepare = async (side: keyof typeof sides, count: number): Promise<Sent[]> => {
        const sent: Sent[] = [];
        for (let i = 0; i < count; i++) {
          const body = fetch.bodies(side);
          // Every side gets the same headers (the ungoverned subgraph ignores them).
          const requestId = fetch.requestId();
          const token = await benchFetchToken(mac, DEPARTMENT, body, requestId);
          const headers: Record<string, string> = {
            'content-type': 'application/json',
            'x-govdata-context': token.token,
            'x-request-id': requestId,
          };
          sent.push({ body, headers, fetch: token });
        }
        return sent;
      };
      const send = async (side: keyof typeof sides, list: readonly Sent[]): Promise<void> => {
        for (const { body, headers, fetch: token } of list) {
          const response = await request(sides[side].url, {
            method: 'POST',
            headers,
            body,
            dispatcher,
          });
          // The governed side's answer comes sealed for the gateway, which opens it.
          const text = await token.read(response);
          // Only the governed side keeps records (the others have no rules to record by).
          const handedBack = side !== 'governed' || text.includes(`"${ACCESS_RECORDS_EXTENSION}"`);
          if (
            response.statusCode !== 200 ||
            text.includes('"errors"') ||
            !fetch.answered(text) ||
            !handedBack
          ) {
            throw new Error(
              `the ${side} subgraph did not answer ${fetch.name} in full: ${response.statusCode} ${text.slice(0, 300)}`,
            );
          }
        }
      };
      const all = ['governed', 'identity', 'ungoverned'] as const;
      for (const side of all) await send(side, await prepare(side, setup.warmUp));
      const perRequest = {
        governed: [] as number[],
        identity: [] as number[],
        ungoverned: [] as number[],
      };
      const differences: number[] = [];
      const identityDifferences: number[] = [];
      for (let block = 0; block < setup.blocks; block++) {
        // Each side goes first, second and last in turn, and the order reverses every other round.
        const turned = [...all.slice(block % 3), ...all.slice(0, block % 3)];
        const order = Math.floor(block / 3) % 2 === 0 ? turned : turned.reverse();
        const cost = { governed: 0, identity: 0, ungoverned: 0 };
        for (const side of order) {
          const list = await prepare(side, setup.blockSize);
          const before = process.cpuUsage();
          await send(side, list);
          const used = process.cpuUsage(before);
          cost[side] = (used.user + used.system) / setup.blockSize;
          perRequest[side].push(cost[side]);
        }
        differences.push(cost.governed - cost.ungoverned);
        identityDifferences.push(cost.identity - cost.ungoverned);
      }
      const middle = (values: number[]) => Math.round(quantile(sorted(values), 0.5)!);
      const sortedDifferences = sorted(differences);
      rows.push({
        fetch: fetch.name,
        governedUs: middle(perRequest.governed),
        identityUs: middle(perRequest.identity),
        ungovernedUs: middle(perRequest.ungoverned),
        governanceUs: Math.round(quantile(sortedDifferences, 0.5)!),
        lowerUs: Math.round(quantile(sortedDifferences, 0.25)!),
        upperUs: Math.round(quantile(sortedDifferences, 0.75)!),
        identityOnlyUs: middle(identityDifferences),
        blocks: setup.blocks,
      });
    }
    return rows;
  } finally {
    await dispatcher.close();
    await stop();
  }
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The suite's table. */
export function governanceReport(rows: readonly GovernanceRow[]): string {
  return [
    '| fetch | governed µs / request | identity only µs / request | ungoverned µs / request | governance µs / fetch | quartiles of the rounds | of which the identity |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.fetch} | ${r.governedUs} | ${r.identityUs} | ${r.ungovernedUs} | **${r.governanceUs}** | ${r.lowerUs} – ${r.upperUs} | ${r.identityOnlyUs} |`,
    ),
  ].join('\n');
}
