import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import type { ExportFormat, ExportManifest } from '../../server/index.ts';
import { heldRecords, manifestProblems } from './exportFile.ts';

export interface ExportToFileOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:4000 */
  gateway: string;
  /** The caller's credential and purpose (authorization, x-purpose, x-grant-id). */
  headers: Record<string, string>;
  dataset: string;
  items?: readonly string[] | undefined;
  /** JSON conditions on items, e.g. {"regionCode":{"startsWith":"3301"}} */
  filter?: string | undefined;
  format: ExportFormat;
  /** Incremental: the id of the previous export of the dataset (its manifest's exportId). */
  since?: string | undefined;
  out: string;
  /** Continue the export whose state lies beside `out` instead of starting one. */
  resume?: boolean;
  /** Resumptions tried after a broken connection before giving up (default 3). */
  retries?: number;
  onProgress?: (progress: { records: number; total: number | null }) => void;
}

export interface ExportOutcome {
  manifest: ExportManifest;
  /** Deliveries it took: 1 when nothing broke. */
  deliveries: number;
}

/** What is kept beside the file while an export is under way: enough to resume it. */
interface ExportState {
  exportId: string;
  format: ExportFormat;
}

/** The export failed for a reason the consumer must act on (the platform said why). */
export class ExportRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs an export through the gateway into `out`: starts it (or resumes the
 * one whose state is beside the file), writes the records as they arrive,
 * resumes from the last whole record after a broken connection, and finally
 * reads the manifest and checks the file against it (records, bytes,
 * SHA-256), writing it beside the file as `<out>.manifest.json`.
 */
export async function exportToFile(options: ExportToFileOptions): Promise<ExportOutcome> {
  const stateFile = `${options.out}.export.json`;
  let state: ExportState | null =
    options.resume && existsSync(stateFile)
      ? (JSON.parse(readFileSync(stateFile, 'utf8')) as ExportState)
      : null;
  if (options.resume && !state) {
    throw new ExportRefused(
      0,
      'NOTHING_TO_RESUME',
      `No export to resume beside ${options.out}; start one without --resume.`,
    );
  }
  let deliveries = 0;
  for (let attempt = 0; ; attempt++) {
    deliveries++;
    try {
      let path: string;
      let held = { records: 0 };
      if (state) {
        const file = await heldRecords(options.out, state.format);
        truncateSync(options.out, file.bytes);
        held = file;
        path = `/export?${new URLSearchParams({ resume: state.exportId, records: String(file.records), sha256: file.sha256 }).toString()}`;
      } else {
        const query = new URLSearchParams({ dataset: options.dataset, format: options.format });
        if (options.items?.length) query.set('items', options.items.join(','));
        if (options.filter) query.set('filter', options.filter);
        if (options.since) query.set('since', options.since);
        path = `/export?${query.toString()}`;
      }
      const started = state !== null;
      const exportId = await deliver(options, path, started, held.records, (id) => {
        state = { exportId: id, format: state?.format ?? options.format };
        writeFileSync(stateFile, JSON.stringify(state));
      });
      const manifest = await readManifest(options, exportId);
      const problems = await manifestProblems(options.out, manifest);
      writeFileSync(`${options.out}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
      if (problems.length > 0) {
        throw new ExportRefused(
          0,
          'MANIFEST_MISMATCH',
          `${options.out} does not match the manifest: ${problems.join('; ')}.`,
        );
      }
      rmSync(stateFile, { force: true });
      return { manifest, deliveries };
    } catch (error) {
      if (error instanceof ExportRefused || !state || attempt >= (options.retries ?? 3))
        throw error;
      // A broken connection: resume from the last whole record.
    }
  }
}

/** One delivery into the file: returns the export's id once the response has ended. */
async function deliver(
  options: ExportToFileOptions,
  path: string,
  append: boolean,
  heldBefore: number,
  started: (exportId: string) => void,
): Promise<string> {
  const response = await fetch(new URL(path, options.gateway), { headers: options.headers });
  if (!response.ok) throw await refusal(response);
  const exportId = response.headers.get('x-export-id') ?? '';
  const total = Number(response.headers.get('x-export-total') ?? NaN);
  started(exportId);
  const file = createWriteStream(options.out, { flags: append ? 'a' : 'w' });
  let records = heldBefore;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!file.write(chunk)) await once(file, 'drain');
      records += countNewlines(chunk);
      options.onProgress?.({ records, total: Number.isFinite(total) ? total + heldBefore : null });
    }
  } finally {
    file.end();
    await once(file, 'close');
  }
  return exportId;
}

async function readManifest(
  options: ExportToFileOptions,
  exportId: string,
): Promise<ExportManifest> {
  const response = await fetch(
    new URL(`/export/manifest?id=${encodeURIComponent(exportId)}`, options.gateway),
    {
      headers: options.headers,
    },
  );
  if (!response.ok) throw await refusal(response);
  return (await response.json()) as ExportManifest;
}

async function refusal(response: Response): Promise<ExportRefused> {
  const body = (await response.json().catch(() => null)) as {
    errors?: { message: string; extensions?: { code?: string; requestId?: string } }[];
  } | null;
  const error = body?.errors?.[0];
  const id = error?.extensions?.requestId ?? response.headers.get('x-request-id');
  return new ExportRefused(
    response.status,
    error?.extensions?.code ?? 'HTTP_ERROR',
    `${error?.message ?? `the gateway answered ${response.status}`}${id ? ` (request id ${id})` : ''}`,
  );
}

function countNewlines(chunk: Uint8Array): number {
  let count = 0;
  for (const byte of chunk) if (byte === 0x0a) count++;
  return count;
}
