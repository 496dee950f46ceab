import type { Knex } from 'knex';
import { databaseEngine } from '../database/index.ts';
import { GENESIS_HASH } from './chainHash.ts';

/** Where a writer's chain ends in the store: its last record's position and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** A writer's first chain head: no record yet. */
export const EMPTY_CHAIN: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** MariaDB's and MySQL's answers when the causal read below is not theirs to make. */
const NO_CAUSAL_READ = new Set([
  1193, // ER_UNKNOWN_SYSTEM_VARIABLE: a server without wsrep
  1064, // ER_PARSE_ERROR: MySQL has no SET STATEMENT
]);

/**
 * Creates `writer`'s chain head (no record yet) unless it exists: a retry after
 * a connection broke under the first insert finds it made, or makes it.
 */
export async function insertChainIfMissing(db: Knex, writer: string, role: string): Promise<void> {
  const now = new Date().toISOString();
  await db('audit_chains')
    .insert({
      writer,
      role,
      last_seq: EMPTY_CHAIN.seq,
      last_hash: EMPTY_CHAIN.hash,
      started_at: now,
      updated_at: now,
    })
    .onConflict('writer')
    .ignore();
}

/**
 * `writer`'s chain head as the store holds it (records and head move in one
 * transaction, so the head is the truth), or null if the writer has none.
 *
 * On a Galera node the read is causal (`wsrep_sync_wait = 1`): it waits until
 * the node has applied every write set the cluster committed before the read,
 * so a commit acknowledged by another node, or one whose node was killed after
 * replicating it, is seen. Other MySQL-compatible servers read as usual.
 */
export async function selectChainHead(db: Knex, writer: string): Promise<ChainHead | null> {
  type Row = { last_seq: number | string; last_hash: string };
  let row: Row | undefined;
  if (databaseEngine(db) === 'mysql') {
    try {
      const [rows] = (await db.raw(
        'SET STATEMENT wsrep_sync_wait = 1 FOR SELECT last_seq, last_hash FROM audit_chains WHERE writer = ?',
        [writer],
      )) as [Row[]];
      row = rows[0];
      return row ? { seq: Number(row.last_seq), hash: row.last_hash } : null;
    } catch (error) {
      if (!NO_CAUSAL_READ.has((error as { errno?: unknown }).errno as number)) throw error;
    }
  }
  row = await db('audit_chains').where({ writer }).first<Row | undefined>('last_seq', 'last_hash');
  return row ? { seq: Number(row.last_seq), hash: row.last_hash } : null;
}

/**
 * Moves `writer`'s chain head from `from` to `to` within the transaction that
 * wrote its records; false (and nothing moved) when the store's head is not at
 * `from`, which the writer must treat as a head it no longer knows.
 */
export async function moveChainHead(
  trx: Knex,
  writer: string,
  from: ChainHead,
  to: ChainHead,
): Promise<boolean> {
  const moved = await trx('audit_chains')
    .where({ writer, last_seq: from.seq, last_hash: from.hash })
    .update({ last_seq: to.seq, last_hash: to.hash, updated_at: new Date().toISOString() });
  return moved === 1;
}
