import { openBenchData } from './benchData.ts';
import { runGatewayBench, type ContenderName } from './gatewayBench.ts';
import type { Summary } from './summarize.ts';

export interface DataScaleSetup {
  /** Where each scale's data folder (`bench-<people>`) lives. */
  dataRoot: string;
  /** People seeded, one platform per figure (e.g. 10,000 and 1,000,000). */
  scales: readonly number[];
  rounds: number;
  seconds: number;
  connections: number;
  workers: number;
  log: (message: string) => void;
}

/** One scale's figures for the single lookup, ours and the subgraph it reads. */
export interface DataScaleRow {
  people: number;
  ours: Summary & { sqlPerRequest: number };
  direct: Summary & { sqlPerRequest: number };
  /** At one connection: latency without queueing. */
  oursOneConnection: Summary;
  directOneConnection: Summary;
}

const CONTENDERS: readonly ContenderName[] = ['ours', 'direct subgraph'];

/**
 * The single lookup (one person by ID number) through our gateway, identity,
 * rules and audit on, and straight to the subgraph, over the same demo data
 * seeded at each scale in its own data folder (seeded once, kept for the next
 * run): what a lookup costs as the population grows, and how many SQL
 * statements it takes.
 */
export async function runDataScaleBench(setup: DataScaleSetup): Promise<DataScaleRow[]> {
  const rows: DataScaleRow[] = [];
  for (const people of setup.scales) {
    setup.log(`data scale: ${people} people`);
    const data = await openBenchData(setup.dataRoot, people, setup.log);
    try {
      const result = await runGatewayBench({
        config: data.config,
        catalogue: data.catalogue,
        platformDb: data.platformDb,
        rounds: setup.rounds,
        seconds: setup.seconds,
        connections: setup.connections,
        workers: setup.workers,
        scale: people,
        only: ['lookup'],
        contenders: CONTENDERS,
        log: setup.log,
      });
      const lookup = result.operations[0]!.rows;
      const row = (name: ContenderName) => lookup.find((r) => r.name === name)!;
      const one = (name: ContenderName) => result.oneConnection.find((r) => r.name === name)!;
      rows.push({
        people,
        ours: row('ours'),
        direct: row('direct subgraph'),
        oursOneConnection: one('ours'),
        directOneConnection: one('direct subgraph'),
      });
    } finally {
      await data.close();
    }
  }
  return rows;
}

/** The table, and the target (p50 at the largest scale ≤ 1.2× at the smallest) against the figures. */
export function dataScaleReport(rows: readonly DataScaleRow[]): string {
  const ms = (value: number) => value.toFixed(2);
  const lines = [
    '| people | ours p50 ms, 1 connection | direct p50 ms, 1 connection | ours req/s | ours p50 ms | ours p95 ms | direct req/s | SQL / lookup, ours | SQL / lookup, direct |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.people.toLocaleString('en')} | ${ms(r.oursOneConnection.p50)} | ${ms(r.directOneConnection.p50)} | ${r.ours.requestsPerSecond} | ${r.ours.p50} | ${r.ours.p95.toFixed(1)} | ${r.direct.requestsPerSecond} | ${r.ours.sqlPerRequest} | ${r.direct.sqlPerRequest} |`,
    ),
  ];
  // Smallest against largest population, whichever order they ran in.
  const bySize = [...rows].sort((a, b) => a.people - b.people);
  const first = bySize[0];
  const last = bySize.at(-1);
  if (first && last && last !== first) {
    const ratio = last.oursOneConnection.p50 / first.oursOneConnection.p50;
    lines.push(
      '',
      `Lookup p50 at one connection, ${last.people.toLocaleString('en')} ÷ ${first.people.toLocaleString('en')} people: **${ratio.toFixed(2)}×** (target ≤ 1.2×: ${ratio <= 1.2 ? 'met' : '**missed**'}).`,
    );
  }
  return lines.join('\n');
}
