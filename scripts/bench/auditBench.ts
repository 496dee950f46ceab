import { mintDevToken, type PlatformConfig } from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { startPlatform, type RunningPlatform } from '../platform/index.ts';
import { alternate, logRounds } from './alternate.ts';
import { runAutocannon } from './runAutocannon.ts';
import { summarize, type Summary } from './summarize.ts';

export interface AuditBenchSetup {
  config: PlatformConfig;
  rounds: number;
  seconds: number;
  connections: number;
  log: (message: string) => void;
}

/** The README's query: one person across five datasets of four departments. */
const QUERY = `query PersonWithRecords($idNumber: String!) {
  person(idNumber: $idNumber) { name gender regionCode
    licenses { licenseNumber kind status } creditRecords { category authority decidedOn }
    landParcels { parcelCode landUse areaSqm } utilityAccounts { accountNumber address monthlyUsageM3 } } }`;

/**
 * The whole platform through its gateway, with the audit trail on (every
 * response waits for its records to be committed) and off, alternating rounds.
 * Both have identity and rules on; only auditing differs.
 */
export async function runAuditBench(setup: AuditBenchSetup): Promise<Summary[]> {
  const { config, log } = setup;
  const platforms: Record<'audit on' | 'audit off', RunningPlatform> = {
    'audit on': await startPlatform(
      { ...config, gatewayPort: 0, subgraphPortBase: 0 },
      { ephemeralPorts: true },
    ),
    'audit off': await startPlatform(
      { ...config, gatewayPort: 0, subgraphPortBase: 0 },
      { ephemeralPorts: true, unsafeWithoutAudit: true },
    ),
  };
  try {
    const token = await mintDevToken(config.auth, {
      department: 'civil_affairs',
      roles: ['APP_DEVELOPER'],
      expiresIn: '2h',
    });
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'social-assistance' };
    const body = JSON.stringify({
      query: QUERY,
      variables: { idNumber: personIdNumberAt(DEMO_PERSON_INDEX) },
    });
    for (const [name, platform] of Object.entries(platforms)) {
      const response = await fetch(platform.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      const answer = (await response.json()) as {
        data?: { person?: { licenses?: unknown[] } };
        errors?: unknown[];
      };
      if (answer.errors || !answer.data?.person?.licenses?.length) {
        throw new Error(
          `${name} does not answer the benchmark query in full: ${JSON.stringify(answer).slice(0, 300)}`,
        );
      }
    }
    const results = await alternate(
      ['audit on', 'audit off'] as const,
      setup,
      (name, seconds) =>
        runAutocannon({
          url: platforms[name].gateway.url,
          body,
          headers,
          connections: setup.connections,
          seconds,
        }),
      logRounds(log),
    );
    return [...results].map(([name, r]) => summarize(name, r));
  } finally {
    await Promise.all(Object.values(platforms).map((p) => p.stop()));
  }
}
