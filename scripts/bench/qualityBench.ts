import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface QualityBenchSetup {
  /** The bench platform's data folder (its SQLite databases, seeded). */
  dataDir: string;
  rounds: number;
  log: (message: string) => void;
}

export interface QualityBenchRound {
  records: number;
  seconds: number;
  rowsPerSecond: number;
}

/**
 * `govdata quality run --dataset PS-POP-001` over the seeded population, as
 * department IT would run it (its own process, the real command line), once
 * per round; each round's records, seconds and rows per second as the command
 * printed them. The whole inspection counts: every rule of every item, the
 * uniqueness query, the stored run.
 */
export async function runQualityBench(setup: QualityBenchSetup): Promise<QualityBenchRound[]> {
  const script = join(import.meta.dirname, '..', 'govdata.ts');
  const rounds: QualityBenchRound[] = [];
  for (let round = 1; round <= setup.rounds; round++) {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', script, 'quality', 'run', '--dataset', 'PS-POP-001'],
      { env: { ...process.env, DATA_DIR: setup.dataDir }, maxBuffer: 16 * 1024 * 1024 },
    );
    const match = /^PS-POP-001: (\d+) records in ([\d.]+) s \((\d+) rows\/s\)/m.exec(stdout);
    if (!match) throw new Error(`govdata quality run printed no figures:\n${stdout}`);
    const [, records, seconds, rowsPerSecond] = match.map(Number) as [
      number,
      number,
      number,
      number,
    ];
    setup.log(`round ${round}: ${records} records in ${seconds} s (${rowsPerSecond} rows/s)`);
    rounds.push({ records, seconds, rowsPerSecond });
  }
  return rounds;
}

/** The rounds as a markdown table, with the median. */
export function qualityReport(rounds: readonly QualityBenchRound[]): string {
  const sorted = [...rounds].sort((a, b) => a.rowsPerSecond - b.rowsPerSecond);
  const median = sorted[sorted.length >> 1]!;
  return [
    '| round | records | seconds | rows/s |',
    '| ---: | ---: | ---: | ---: |',
    ...rounds.map(
      (r, i) => `| ${i + 1} | ${r.records} | ${r.seconds.toFixed(1)} | ${r.rowsPerSecond} |`,
    ),
    '',
    `Median: **${median.rowsPerSecond} rows/s** (${median.records} records in ${median.seconds.toFixed(1)} s).`,
  ].join('\n');
}
