import type { Knex } from 'knex';
import { databaseEngine } from '../database/databaseEngine.ts';
import { inTransaction } from '../database/inTransaction.ts';

/** What a policy change touched: a grant (by id) or a dataset's sharing decision (by code). */
export type PolicySubject = 'grant' | 'dataset_policy';

/** One entry of the change log: the `seq`-th change touched this subject's row. */
export interface PolicyChange {
  seq: number;
  subject: PolicySubject;
  key: string;
}

/** Most rows one multi-row insert carries (SQLite binds at most 32,766 values a statement). */
const INSERT_BATCH = 500;

/**
 * Records that the rows `keys` of `subject` change, in the transaction `trx`
 * that changes them: raises the change counter by one per key and logs each
 * key under its sequence number. Call it before writing the rows: the
 * counter's row lock is then the first lock every policy change takes, so
 * concurrent changes queue on it (none can deadlock on the rows they write
 * afterwards) and commit in sequence order — a replica that has read change n
 * has every change before it. Deletes are logged like any change: the row
 * is then gone.
 */
export async function recordPolicyChanges(
  trx: Knex.Transaction,
  subject: PolicySubject,
  keys: readonly string[],
  at: Date = new Date(),
): Promise<void> {
  if (keys.length === 0) return;
  await trx('policy_change_counter')
    .where({ id: 1 })
    .update({ seq: trx.raw('seq + ?', [keys.length]) });
  const head = await selectPolicyChangeHead(trx);
  const first = head - keys.length + 1;
  const changedAt = at.toISOString();
  for (let start = 0; start < keys.length; start += INSERT_BATCH) {
    await trx('policy_changes').insert(
      keys.slice(start, start + INSERT_BATCH).map((key, i) => ({
        seq: first + start + i,
        subject,
        subject_key: key,
        changed_at: changedAt,
      })),
    );
  }
}

/** The sequence number of the last recorded change (0: none yet). */
export async function selectPolicyChangeHead(db: Knex): Promise<number> {
  const row = await db<{ id: number; seq: number | string }>('policy_change_counter')
    .where('id', 1)
    .first('seq');
  return Number(row?.seq ?? 0);
}

/** Up to `limit` changes after `seq`, in order. */
export async function selectPolicyChangesAfter(
  db: Knex,
  seq: number,
  limit: number,
): Promise<PolicyChange[]> {
  const rows = await db<{ seq: number | string; subject: string; subject_key: string }>(
    'policy_changes',
  )
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(limit)
    .select('seq', 'subject', 'subject_key');
  return rows.map((r) => ({
    seq: Number(r.seq),
    subject: r.subject as PolicySubject,
    key: r.subject_key,
  }));
}

/**
 * Runs `read`, whose statements read a change log before the rows it names,
 * so that what it reads belongs together. On MySQL in one REPEATABLE READ
 * transaction: one state of the database even when the connections of a pool
 * reach different nodes of a cluster. On SQLite without one: a transaction
 * there begins IMMEDIATE (see `waitOnLocksAsynchronously`) and would take the
 * write lock from every writer, and reading the log first is enough on one
 * file: a row read newer than its log entry is read again with the later entry.
 */
export function consistentRead<T>(db: Knex, read: (db: Knex) => Promise<T>): Promise<T> {
  return databaseEngine(db) === 'mysql'
    ? inTransaction(db, read, { config: { isolationLevel: 'repeatable read' } })
    : read(db);
}
