import type { Knex } from 'knex';
import { fromAuditRow, type AuditRow } from './auditQueries.ts';
import { chainHash, GENESIS_HASH } from './chainHash.ts';

export interface ChainProblem {
  writer: string;
  /** The record that does not fit (null when a record is missing entirely). */
  recordId: number | null;
  seq: number;
  problem: string;
}

export interface ChainVerification {
  ok: boolean;
  chains: number;
  records: number;
  problems: ChainProblem[];
}

/**
 * Walks every writer's chain in sequence order and reports each record that
 * does not fit: a stored hash that is not the hash of its fields (edited), a
 * predecessor hash that does not match (a record before it removed or
 * replaced), a gap in the sequence (records deleted), or a chain head that
 * points past the last record (the tail truncated).
 */
export async function verifyAuditChains(db: Knex): Promise<ChainVerification> {
  const heads = await db<{ writer: string; last_seq: number; last_hash: string }>(
    'audit_chains',
  ).select('writer', 'last_seq', 'last_hash');
  const problems: ChainProblem[] = [];
  let records = 0;
  const writers = new Set(heads.map((h) => h.writer));
  const orphanWriters = await db<{ writer: string }>('audit_records').distinct('writer');
  for (const { writer } of orphanWriters) {
    if (!writers.has(writer)) {
      problems.push({
        writer,
        recordId: null,
        seq: 0,
        problem: 'records of a writer with no chain head',
      });
    }
  }
  for (const head of heads) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const rows = (await db('audit_records')
        .where({ writer: head.writer })
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(5000)) as AuditRow[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const record = fromAuditRow(row);
        records++;
        if (record.seq !== expectedSeq) {
          problems.push({
            writer: head.writer,
            recordId: null,
            seq: expectedSeq,
            problem: `records ${expectedSeq}..${record.seq - 1} are missing (deleted) before record ${record.id}`,
          });
        } else if (record.prevHash !== prevHash) {
          problems.push({
            writer: head.writer,
            recordId: record.id,
            seq: record.seq,
            problem: 'its predecessor hash does not match the record before it',
          });
        }
        if (chainHash(record.writer, record.seq, record.prevHash, record) !== record.hash) {
          problems.push({
            writer: head.writer,
            recordId: record.id,
            seq: record.seq,
            problem: 'its content does not match its hash (edited)',
          });
        }
        expectedSeq = record.seq + 1;
        prevHash = record.hash;
      }
      if (rows.length < 5000) break;
    }
    const last = expectedSeq - 1;
    if (Number(head.last_seq) > last) {
      problems.push({
        writer: head.writer,
        recordId: null,
        seq: last + 1,
        problem: `the chain head is at record ${head.last_seq} but the chain ends at ${last} (tail deleted)`,
      });
    } else if (Number(head.last_seq) === last && last > 0 && head.last_hash !== prevHash) {
      problems.push({
        writer: head.writer,
        recordId: null,
        seq: last,
        problem: 'the chain head does not match the last record',
      });
    }
  }
  return { ok: problems.length === 0, chains: heads.length, records, problems };
}
