import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ExportFormat, ExportManifest } from '../../server/index.ts';

/** What a file holds of an export: its whole records, and where the last of them ends. */
export interface HeldRecords {
  records: number;
  /** Bytes up to the end of the last whole record (a broken connection may leave part of one after). */
  bytes: number;
  /** SHA-256 (hex) of those bytes: what a resumption proves the consumer holds. */
  sha256: string;
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * Reads an export file once, in chunks (any size fits), and finds its whole
 * records: NDJSON ends each record with a newline (JSON escapes those in
 * values); CSV ends each with a newline outside quotes, and its first line is
 * the header, which is not a record.
 */
export async function heldRecords(file: string, format: ExportFormat): Promise<HeldRecords> {
  let offset = 0;
  let lines = 0;
  let end = 0;
  let quoted = false;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (format === 'csv' && byte === QUOTE) quoted = !quoted;
      else if (byte === NEWLINE && !quoted) {
        lines++;
        end = offset + i + 1;
      }
    }
    offset += chunk.length;
  }
  const hash = createHash('sha256');
  if (end > 0) {
    for await (const chunk of createReadStream(file, { end: end - 1 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
    }
  }
  const records = format === 'csv' ? Math.max(0, lines - 1) : lines;
  return { records, bytes: end, sha256: hash.digest('hex') };
}

/**
 * What is wrong with `file` as the export `manifest` describes it: a record
 * count, byte count or SHA-256 that differs, bytes after the last record, or
 * an export that did not complete. None: the file is exactly what was sent.
 */
export async function manifestProblems(file: string, manifest: ExportManifest): Promise<string[]> {
  const held = await heldRecords(file, manifest.format);
  const problems: string[] = [];
  if (!manifest.complete)
    problems.push(`the export stopped early (${manifest.stoppedBecause}); resume it`);
  if (held.records !== manifest.records) {
    problems.push(`the file has ${held.records} records, the manifest ${manifest.records}`);
  }
  if (held.bytes !== manifest.bytes) {
    problems.push(
      `the file's records take ${held.bytes} bytes, the manifest says ${manifest.bytes}`,
    );
  }
  if (held.sha256 !== manifest.sha256) {
    problems.push(`the file's SHA-256 is ${held.sha256}, the manifest's ${manifest.sha256}`);
  }
  return problems;
}
