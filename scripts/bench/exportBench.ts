import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deleteGrants,
  insertGrant,
  mintDevToken,
  newGrant,
  type PlatformConfig,
  type RowFilter,
} from '../../server/index.ts';
import { exportToFile } from '../govdata/exportToFile.ts';
import { startPlatform } from '../platform/index.ts';

export interface ExportBenchSetup {
  /** The bench platform's configuration (its data folder, seeded at the bench scale). */
  config: PlatformConfig;
  rounds: number;
  log: (message: string) => void;
}

export interface ExportBenchRound {
  /** `one district`: a row filter leaving about one in twenty; `all`: every person. */
  export: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  /** Resident set size of the process before the export, and its peak during it, in MB. */
  rssBeforeMb: number;
  rssPeakMb: number;
}

const PURPOSE = 'statistics';

/**
 * Exports of the seeded population through the gateway into a file, as a
 * consumer's `govdata export` does (the same client code), under a grant
 * with EXPORT that masks names: one district's people (a row filter), then
 * every person, each round. The platform runs in this process, so the memory
 * measured — the resident set sampled every 50 ms — is the exporting
 * subgraph's together with the gateway's and the client's: an upper bound.
 * Memory that did not grow with the dataset is the same for both exports.
 */
export async function runExportBench(setup: ExportBenchSetup): Promise<ExportBenchRound[]> {
  const platform = await startPlatform(
    { ...setup.config, gatewayPort: 0, subgraphPortBase: 0, logLevel: 'silent' },
    { ephemeralPorts: true, seed: 'never' },
  );
  const dir = mkdtempSync(join(tmpdir(), 'govdata-export-bench-'));
  try {
    for (const [id, rowFilter] of [
      ['bench_export_all', null],
      ['bench_export_district', { regionCode: { eq: '330106' } }],
    ] as const) {
      const fields = {
        id,
        consumerDepartment: id,
        datasetCode: 'PS-POP-001',
        items: ['idNumber', 'name', 'gender', 'birthDate', 'ethnicity', 'regionCode', 'address'],
        masks: { name: { rule: 'SURNAME_ONLY' as const } },
        rowFilter: rowFilter as RowFilter | null,
        purposes: [PURPOSE],
        modes: ['EXPORT' as const],
        validFrom: '2020-01-01T00:00:00.000Z',
        validUntil: '2099-12-31T23:59:59.999Z',
      };
      await deleteGrants(platform.platformDb, [id]);
      await insertGrant(platform.platformDb, { ...newGrant(fields, 'bench'), ...fields });
    }
    await platform.policies.reload();
    const gateway = new URL(platform.gateway.url).origin;
    const rounds: ExportBenchRound[] = [];
    for (let round = 1; round <= setup.rounds; round++) {
      for (const [name, department] of [
        // The small export first: whatever the large one adds to the peak is what grows with the data.
        ['one district', 'bench_export_district'],
        ['all', 'bench_export_all'],
      ] as const) {
        global.gc?.();
        const token = await mintDevToken(setup.config.auth, {
          department,
          roles: ['APP_DEVELOPER'],
        });
        const rssBefore = process.memoryUsage().rss;
        let peak = rssBefore;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().rss);
        }, 50);
        const started = performance.now();
        try {
          const { manifest } = await exportToFile({
            gateway,
            headers: { authorization: `Bearer ${token}`, 'x-purpose': PURPOSE },
            dataset: 'PS-POP-001',
            format: 'ndjson',
            out: join(dir, `${department}.ndjson`),
          });
          const seconds = (performance.now() - started) / 1000;
          const result: ExportBenchRound = {
            export: name,
            records: manifest.records,
            seconds,
            recordsPerSecond: Math.round(manifest.records / seconds),
            rssBeforeMb: Math.round(rssBefore / 2 ** 20),
            rssPeakMb: Math.round(peak / 2 ** 20),
          };
          setup.log(
            `round ${round}, ${name}: ${result.records} records in ${seconds.toFixed(1)} s (${result.recordsPerSecond}/s), RSS ${result.rssBeforeMb} → peak ${result.rssPeakMb} MB`,
          );
          rounds.push(result);
        } finally {
          clearInterval(sampler);
        }
      }
    }
    return rounds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await platform.stop();
  }
}

/** The rounds as a markdown table. */
export function exportReport(rounds: readonly ExportBenchRound[]): string {
  return [
    '| round | export | records | seconds | records/s | RSS before (MB) | RSS peak (MB) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rounds.map(
      (r, i) =>
        `| ${Math.floor(i / 2) + 1} | ${r.export} | ${r.records} | ${r.seconds.toFixed(1)} | ${r.recordsPerSecond} | ${r.rssBeforeMb} | ${r.rssPeakMb} |`,
    ),
  ].join('\n');
}
