import { existsSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../../server/index.ts';
import { CliUsageError } from '../cli/index.ts';
import { exportToFile, ExportRefused } from './exportToFile.ts';

export interface ExportCommandOptions {
  dataset: string;
  out: string;
  items?: string;
  filter?: string;
  format: string;
  since?: string;
  resume?: boolean;
  gateway?: string;
  token?: string;
  apiKey?: string;
  purpose?: string;
  grant?: string;
}

/**
 * `govdata export`: runs an export through the gateway into a file with a
 * progress bar (records, rate, ETA) on a terminal, resumes by itself after a
 * broken connection (or later with --resume), checks the file against the
 * manifest and writes the manifest beside it. Exit code 1 when the platform
 * refuses or the file does not match.
 */
export async function exportCommand(options: ExportCommandOptions): Promise<void> {
  if (options.format !== 'ndjson' && options.format !== 'csv') {
    throw new CliUsageError(`--format is ndjson or csv, not ${options.format}`);
  }
  if (!options.token && !options.apiKey) {
    throw new CliUsageError('give your credential: --token <bearer token> or --api-key <key>');
  }
  const headers: Record<string, string> = {
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
    ...(options.purpose ? { 'x-purpose': options.purpose } : {}),
    ...(options.grant ? { 'x-grant-id': options.grant } : {}),
  };
  const bar = new SingleBar(
    {
      format: ' {bar} {value}/{total} records | {rate} records/s | ETA {eta_formatted}',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const startedAt = Date.now();
  let started = false;
  const gateway = options.gateway ?? `http://127.0.0.1:${loadConfig().gatewayPort}`;
  try {
    const { manifest, deliveries } = await exportToFile({
      gateway,
      headers,
      dataset: options.dataset,
      items: options.items?.split(',').map((i) => i.trim()),
      filter: options.filter,
      format: options.format,
      since: options.since,
      out: options.out,
      resume: options.resume ?? false,
      onProgress: ({ records, total }) => {
        const rate = Math.round(records / Math.max(0.001, (Date.now() - startedAt) / 1000));
        if (!started) bar.start(total ?? records, records, { rate });
        started = true;
        if (total !== null) bar.setTotal(Math.max(total, records));
        bar.update(records, { rate });
      },
    });
    bar.stop();
    console.log(
      `${options.out}: ${manifest.records} records of ${manifest.dataset}, SHA-256 ${manifest.sha256}, ` +
        `checked against the manifest (${options.out}.manifest.json)` +
        `${deliveries > 1 ? `, resumed ${deliveries - 1} time(s)` : ''}.`,
    );
    console.log(
      `Next time, only what changed (if your grants give every item of ${manifest.dataset} unmasked): --since ${manifest.exportId}`,
    );
  } catch (error) {
    bar.stop();
    const why = error instanceof Error ? error.message : String(error);
    if (error instanceof ExportRefused) console.error(error.message);
    else if (!existsSync(`${options.out}.export.json`)) {
      // No export began: there is nothing to resume.
      console.error(
        `The export did not start: the gateway at ${gateway} did not answer (${why}). ` +
          'Start the platform (npm start), or give its address with --gateway <url>.',
      );
    } else {
      console.error(
        `The export broke off (${why}); ` +
          'run the same command with --resume to continue from the last whole record.',
      );
    }
    process.exitCode = 1;
  }
}
