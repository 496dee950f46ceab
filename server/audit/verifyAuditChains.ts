import type { KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { attestationProblem } from './accessAttestation.ts';
import {
  readAuditCheckpoints,
  type AuditCheckpoint,
  type CheckpointVerification,
} from './AuditCheckpoint.ts';
import type { AuditRecord } from './AuditEntry.ts';
import { fromAuditRow, type AuditRow } from './auditQueries.ts';
import { chainHash, GENESIS_HASH } from './chainHash.ts';

/**
 * Records checked between two turns of the event loop: a few milliseconds of
 * hashing and signature checks. One synchronous walk of 77,000 records held a
 * platform process for five seconds, `/health` included.
 */
const RECORDS_PER_SLICE = 100;

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
  /** Signed checkpoints the records were checked against (0 when none were asked for). */
  checkpoints: number;
  /** Records after their chain's last signed checkpoint: hash-chained, not yet signed. */
  unsignedRecords: number;
  /** What the attestation check found (null when none was asked for). */
  attestations: AttestationCount | null;
}

/** How ACCESS records are checked against their departments' signatures. */
export interface AttestationVerification {
  /** The department's public audit key; throws, saying what to provision, when there is none. */
  departmentKey(department: string): KeyObject;
}

export interface AttestationCount {
  /** Attestations must be on every ACCESS record after this id (`audit_attestation_start`). */
  afterRecordId: number;
  /** ACCESS records whose attestation verified. */
  attested: number;
  /** ACCESS records written before attestations began, without one. */
  before: number;
  /** ACCESS records of another platform's datasets (cross-level reads), which no department here signs. */
  otherLevel: number;
}

/** A provider department of another platform is written `<platform>:<department>`. */
const OTHER_LEVEL = /:/;

/**
 * Walks every writer's chain in sequence order and reports each record that
 * does not fit: a stored hash that is not the hash of its fields (edited), a
 * predecessor hash that does not match (a record before it removed or
 * replaced), a gap in the sequence (records deleted), or a chain head that
 * points past the last record (the tail truncated).
 *
 * With `checkpoints`, the records must also fit every signed checkpoint (see
 * `AuditCheckpoint`): the record at a checkpoint's position has its hash. That
 * catches what the hash chain alone cannot, a rewrite by someone with write
 * access to the database who recomputed every hash and the chain head: the
 * first record after the last checkpoint that still fits is named. A
 * checkpoint past the chain's end (records and head deleted), a chain with
 * none (not written by a platform writer), and a checkpoint line not signed by
 * the platform's key (forged or edited) are problems too. The files are read
 * before the database, so a checkpoint written meanwhile never looks ahead of
 * its records.
 *
 * With `attestations`, every ACCESS record about one of this platform's
 * departments' datasets written after attestations began must carry that
 * department's valid signature of its fields (see `attestAccess`): a record
 * forged or altered by anyone without the department's key — the gateway that
 * committed it, or anyone with write access to the database, even with every
 * hash recomputed — is named. Where attestations begin is the
 * `audit_attestation_start` row the migration wrote; since no record before it
 * can have an attestation, one that does shows the row was moved (to exempt
 * records), and so does the row missing.
 */
export async function verifyAuditChains(
  db: Knex,
  checkpoints?: CheckpointVerification,
  attestations?: AttestationVerification,
): Promise<ChainVerification> {
  const signed = checkpoints ? readAuditCheckpoints(checkpoints) : undefined;
  const signedBy = new Map<string, AuditCheckpoint[]>();
  for (const c of signed?.checkpoints ?? [])
    signedBy.set(c.writer, [...(signedBy.get(c.writer) ?? []), c]);
  let unsignedRecords = 0;
  const heads = await db<{ writer: string; last_seq: number; last_hash: string }>(
    'audit_chains',
  ).select('writer', 'last_seq', 'last_hash');
  const problems: ChainProblem[] = (signed?.defects ?? []).map((d) => ({
    writer: d.writer ?? '(unknown)',
    recordId: null,
    seq: d.seq ?? 0,
    problem: `checkpoint ${d.file} line ${d.line} ${d.problem}`,
  }));
  let records = 0;
  let sinceYield = 0;
  const attesting = attestations ? await attestationCheck(db, attestations, problems) : undefined;
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
  for (const writer of signedBy.keys()) {
    if (!writers.has(writer)) {
      const last = Math.max(...signedBy.get(writer)!.map((c) => c.seq));
      problems.push({
        writer,
        recordId: null,
        seq: 1,
        problem: `signed checkpoints say this writer reached record ${last}, but its chain is not in the database (deleted)`,
      });
    }
  }
  for (const head of heads) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    const bySeq = new Map<number, AuditCheckpoint[]>();
    for (const c of signedBy.get(head.writer) ?? [])
      bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
    /** The last position a signed checkpoint confirms, and the first record after it. */
    let confirmed = 0;
    let firstUnconfirmed: { id: number; seq: number } | null = null;
    let rewritten = false;
    for (;;) {
      const rows = (await db('audit_records')
        .where({ writer: head.writer })
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(5000)) as AuditRow[];
      if (rows.length === 0) break;
      for (const row of rows) {
        // The walk hashes (and may verify a signature of) every record: let the
        // process answer other requests between slices, whatever the trail's size.
        if (++sinceYield >= RECORDS_PER_SLICE) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
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
        attesting?.check(record);
        if (firstUnconfirmed === null) firstUnconfirmed = { id: record.id, seq: record.seq };
        for (const checkpoint of bySeq.get(record.seq) ?? []) {
          if (rewritten) break;
          if (checkpoint.hash === record.hash) {
            confirmed = record.seq;
            firstUnconfirmed = null;
          } else {
            rewritten = true;
            problems.push({
              writer: head.writer,
              recordId: firstUnconfirmed?.id ?? record.id,
              seq: firstUnconfirmed?.seq ?? record.seq,
              problem: `records ${confirmed + 1}..${record.seq} no longer fit the checkpoint signed at ${checkpoint.at} for record ${record.seq}: the chain was rewritten at or after this record`,
            });
          }
        }
        expectedSeq = record.seq + 1;
        prevHash = record.hash;
      }
      if (rows.length < 5000) break;
    }
    const last = expectedSeq - 1;
    if (checkpoints) {
      const ahead = [...bySeq.keys()].filter((seq) => seq > last);
      if (ahead.length > 0) {
        problems.push({
          writer: head.writer,
          recordId: null,
          seq: last + 1,
          problem: `a signed checkpoint says the chain reached record ${Math.max(...ahead)}, but it ends at ${last}: records ${last + 1}..${Math.max(...ahead)} were deleted`,
        });
      } else if (bySeq.size === 0 && last > 0) {
        problems.push({
          writer: head.writer,
          recordId: null,
          seq: 1,
          problem:
            'the chain has no signed checkpoint: it was not written by a platform process holding the key, or its checkpoint file is missing',
        });
      }
      if (!rewritten) unsignedRecords += last - confirmed;
    }
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
  return {
    ok: problems.length === 0,
    chains: heads.length,
    records,
    problems,
    checkpoints: signed?.checkpoints.length ?? 0,
    unsignedRecords,
    attestations: attesting?.count ?? null,
  };
}

/**
 * The attestation check of each ACCESS record, adding what it finds to
 * `problems`: one problem per record not attested as it must be, and one per
 * department whose key is missing (its records cannot be checked).
 */
async function attestationCheck(
  db: Knex,
  attestations: AttestationVerification,
  problems: ChainProblem[],
): Promise<{ check(record: AuditRecord): void; count: AttestationCount }> {
  const start = await db<{ after_record_id: number }>('audit_attestation_start')
    .select('after_record_id')
    .first();
  if (!start) {
    problems.push({
      writer: '(attestations)',
      recordId: null,
      seq: 0,
      problem:
        'the audit_attestation_start row is missing (deleted): every ACCESS record is held to an attestation',
    });
  }
  const count: AttestationCount = {
    afterRecordId: Number(start?.after_record_id ?? 0),
    attested: 0,
    before: 0,
    otherLevel: 0,
  };
  const keys = new Map<string, KeyObject | null>();
  const keyOf = (department: string, record: AuditRecord): KeyObject | null => {
    if (!keys.has(department)) {
      try {
        keys.set(department, attestations.departmentKey(department));
      } catch (error) {
        keys.set(department, null);
        problems.push(
          problemOf(record, `its records cannot be checked: ${(error as Error).message}`),
        );
      }
    }
    return keys.get(department)!;
  };
  return {
    count,
    check(record) {
      if (record.kind !== 'ACCESS') return;
      const department = record.providerDepartment;
      if (department !== null && OTHER_LEVEL.test(department)) {
        count.otherLevel++;
        return;
      }
      const before = record.id <= count.afterRecordId;
      if (before && !record.attestation) {
        count.before++;
        return;
      }
      if (before) {
        problems.push(
          problemOf(
            record,
            `it is attested, but audit_attestation_start says attestations began after record ${count.afterRecordId}: that row was moved`,
          ),
        );
      }
      if (department === null) {
        problems.push(problemOf(record, 'an ACCESS record without a provider department'));
        return;
      }
      const key = keyOf(department, record);
      if (key === null) return;
      const problem = attestationProblem(record, record.attestation, key);
      if (problem === null) count.attested++;
      else problems.push(problemOf(record, `ACCESS record of ${department}: ${problem}`));
    },
  };
}

function problemOf(record: AuditRecord, problem: string): ChainProblem {
  return { writer: record.writer, recordId: record.id, seq: record.seq, problem };
}
