import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { GraphQLError } from 'graphql';
import { conflict } from '../../../schema/index.ts';
import {
  claimExportRecords,
  releaseExportRecords,
  takeResending,
  type ExportPlan,
  type ExportRecord,
} from '../../../server/index.ts';
import type { RequestAccess } from '../access/index.ts';
import {
  countRows,
  ORDER_VALUE,
  selectPage,
  type DatasetTable,
  type KeyValue,
  type ListFilter,
  type PageOrder,
  type Row,
} from '../sql/index.ts';
import { ExportEncoder } from './ExportEncoder.ts';

/** Where an export's text goes: the HTTP response, headers sent with the first write. */
export interface ExportOutput {
  /** Announces how many records the export has now (before the first write). */
  total(records: number): void;
  /**
   * Writes `text`, holding `records` records; resolves once more may be
   * written (backpressure), rejects when the consumer has gone.
   */
  write(text: string, records: number): Promise<void>;
}

/** What the consumer already holds of the export, when it resumes. */
export interface HeldPart {
  records: number;
  sha256: string;
}

export interface Delivery {
  /** Records in the consumer's file now: those it held and those sent. */
  records: number;
  /** Records sent by this delivery. */
  sent: number;
  bytes: number;
  sha256: string;
  /** Why it ended before the last record (the quota ran out), or null. */
  stoppedBecause: string | null;
}

/** Records read a page: by key the index serves pages cheaply; by keyed hash each page is a scan, so fewer, larger ones. */
export const PAGE_SIZE = { key: 2_000, 'keyed hash': 25_000 } as const;

/**
 * Sends the records of `plan` in a stable order, a page at a time (keyset
 * pagination, so memory holds one page whatever the dataset's size): each
 * value as the caller's grants give it on that record, each page counted
 * against the grants' daily quotas before it is sent. The order is by key, or
 * by a keyed hash of it when the caller may not read the key (sorted ID
 * numbers would give away birth dates).
 *
 * Resuming (`held`), the records the consumer holds are read again and hashed
 * but not sent nor counted again; when their SHA-256 differs from the
 * consumer's, the records moved since (changed, added or removed before that
 * point) and the resumption is refused with CONFLICT before anything is sent.
 * The records a broken delivery sent past what the consumer holds (lost in
 * flight, as far as anyone can tell) are sent again uncounted, but each only
 * once (`takeResending`): a consumer that claims to hold less than it was sent
 * — any prefix of its file hashes true — gets them again counted, so no
 * record is had twice for the quota of one.
 * A quota that runs out before the first record is sent refuses the export;
 * later it ends the delivery early, to be resumed another day.
 */
export async function deliverExport(options: {
  db: Knex;
  platformDb: Knex;
  access: RequestAccess;
  table: DatasetTable;
  plan: ExportPlan;
  record: ExportRecord;
  order: PageOrder;
  held: HeldPart | null;
  output: ExportOutput;
}): Promise<Delivery> {
  const { db, access, table, plan, record, order, held, output } = options;
  const encoder = new ExportEncoder(plan.format, plan.items);
  const items = plan.items.map((name) => table.item(name));
  const valuesOf = (rows: readonly Row[]) =>
    rows.map((row) => items.map((item) => access.exported(table, item, row)));
  const hash = createHash('sha256');
  let bytes = 0;
  const take = (text: string) => {
    hash.update(text);
    bytes += Buffer.byteLength(text);
  };
  // The header is sent with the first records (or at the end): a refusal may still come before.
  let unsent = held ? '' : encoder.header();
  take(encoder.header());
  const send = async (text: string, records: number) => {
    take(text);
    await output.write(unsent + text, records);
    unsent = '';
  };
  const skip = held?.records ?? 0;
  const checkHeld = () => {
    if (hash.copy().digest('hex') !== held!.sha256) {
      throw conflict(
        `The ${held!.records} records you hold no longer match export ${record.id} (records before that point changed since it was sent, or your file was altered); start a new export, or an incremental one.`,
        { exportId: record.id },
      );
    }
  };
  if (held && skip === 0) checkHeld();
  // Records [freeFrom, countedBefore) go again uncounted; below freeFrom they were sent again already.
  const resending = held ? await takeResending(options.platformDb, record.id) : null;
  const countedBefore = resending?.charged ?? 0;
  const freeFrom = Math.max(skip, resending?.resent ?? 0);
  let ordinal = 0;
  let sent = 0;
  let stoppedBecause: string | null = null;
  let after: KeyValue | string | undefined;
  const changedAt = table.entry.binding.changedAt;
  const rowsWanted = {
    filter: plan.filter as ListFilter,
    scope: plan.rowFilters as ListFilter[] | null,
    holder: access.budgetHolder,
    ...(plan.changedSince && changedAt
      ? { changedSince: { column: changedAt, from: plan.changedSince } }
      : {}),
  };
  // Refused before anything is read when the quotas are spent; the size announced is never more
  // than they can still cover (a count past that would tell what a filter matched beyond them).
  const left = await access.quotaLeft(table, 'EXPORT');
  const total = await countRows(db, table, rowsWanted);
  output.total(left === null ? total : Math.min(total, left));
  for (;;) {
    const page = await selectPage(db, table, {
      ...rowsWanted,
      first: PAGE_SIZE[order.by],
      order: { ...order, ...(after === undefined ? {} : { after }) } as PageOrder,
    });
    const rows = page.rows;
    const skipped = Math.max(0, Math.min(rows.length, skip - ordinal));
    if (skipped > 0) {
      take(encoder.encode(valuesOf(rows.slice(0, skipped))));
      ordinal += skipped;
      if (ordinal === skip) checkHeld();
    }
    let rest = rows.slice(skipped);
    if (rest.length > 0) {
      // rest[0, again): sent again before, counted again; rest[again, first): their one free
      // re-sending; from `first` on, records past those counted before (by a delivery a
      // connection broke, or one still draining) are counted now.
      const n = rest.length;
      const again = clamp(freeFrom - ordinal, 0, n);
      const first = clamp(countedBefore - ordinal, again, n);
      const through = ordinal + n;
      const claimed =
        first < n ? await claimExportRecords(options.platformDb, record.id, through) : through;
      const counted = clamp(claimed - (ordinal + first), 0, n - first);
      const refused =
        (await firstRefused(access, table, rest.slice(0, again), 0)) ??
        (await firstRefused(access, table, rest.slice(first + counted), first + counted));
      if (refused) {
        rest = rest.slice(0, refused.at);
        if (first < n) {
          await releaseExportRecords(
            options.platformDb,
            record.id,
            through,
            Math.max(claimed, ordinal + rest.length),
          );
        }
        if (sent === 0 && rest.length === 0) throw refused.error;
        stoppedBecause = 'QUOTA_EXCEEDED';
      }
      if (rest.length > 0) await send(encoder.encode(valuesOf(rest)), rest.length);
      ordinal += rest.length;
      sent += rest.length;
      if (stoppedBecause) break;
    }
    const last = rows.at(-1);
    if (!page.hasNextPage || !last) break;
    after = order.by === 'key' ? table.keyOf(last) : (last[ORDER_VALUE] as string);
  }
  if (held && ordinal < skip) {
    throw conflict(
      `You hold ${skip} records of export ${record.id}, but it has ${ordinal} now; start a new export.`,
      { exportId: record.id },
    );
  }
  if (unsent !== '' || sent === 0) await output.write(unsent, 0);
  return { records: ordinal, sent, bytes, sha256: hash.digest('hex'), stoppedBecause };
}

/** Counts `rows` against the quotas: the first refused (its place, plus `offset`, and its denial), or null. */
async function firstRefused(
  access: RequestAccess,
  table: DatasetTable,
  rows: readonly Row[],
  offset: number,
): Promise<{ at: number; error: GraphQLError } | null> {
  if (rows.length === 0) return null;
  const outcome = await access.charge(table, rows, 'EXPORT');
  const at = outcome.findIndex((r) => r instanceof Error);
  return at < 0 ? null : { at: offset + at, error: outcome[at] as GraphQLError };
}

function clamp(value: number, least: number, most: number): number {
  return Math.min(most, Math.max(least, value));
}
