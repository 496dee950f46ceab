import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_DIR } from '../../scripts/platform/index.ts';
import {
  migrateDatabase,
  openDatabase,
  selectAuditRecords,
  type AuditFilter,
} from '../../server/index.ts';

let dir: string;
let db: Knex;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'govdata-audit-indexes-'));
  db = await openDatabase({ kind: 'sqlite', dir }, 'platform');
  await migrateDatabase(db, join(PLATFORM_DIR, 'migrations'));
});

afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** SQLite's plan for the query `selectAuditRecords` makes of `filter`, one line per step. */
async function planOf(filter: Omit<AuditFilter, 'limit'>): Promise<string> {
  const made: { sql: string; bindings: readonly Knex.RawBinding[] }[] = [];
  const capture = (query: (typeof made)[number]) => made.push(query);
  db.on('query', capture);
  try {
    await selectAuditRecords(db, { ...filter, limit: 50 });
  } finally {
    db.removeListener('query', capture);
  }
  const { sql, bindings } = made.find((q) => q.sql.includes('audit_records'))!;
  const steps = await db.raw<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`, [...bindings]);
  return steps.map((s) => s.detail).join('\n');
}

describe('the audit trail’s indexes on SQLite', () => {
  it('leave out records whose column is empty', async () => {
    const partial = await db('sqlite_master')
      .where({ type: 'index', tbl_name: 'audit_records' })
      .whereLike('sql', '%WHERE%IS NOT NULL%')
      .pluck('name');
    expect(partial.sort()).toEqual([
      'audit_records_consumer_department_at_index',
      'audit_records_correlation_id_index',
      'audit_records_dataset_code_at_index',
      'audit_records_provider_department_at_index',
    ]);
  });

  it.each([
    [{ department: 'civil_affairs' }, ['consumer_department_at', 'provider_department_at']],
    [{ consumerDepartment: 'civil_affairs' }, ['consumer_department_at']],
    [{ providerDepartment: 'public_security' }, ['provider_department_at']],
    [{ dataset: 'PS-POP-001', from: '2026-12-01' }, ['dataset_code_at']],
    [{ correlationId: 'order-7' }, ['correlation_id']],
  ] as const)('still serve the filter %j', async (filter, indexes) => {
    const plan = await planOf(filter);
    for (const index of indexes) expect(plan).toContain(`USING INDEX audit_records_${index}_index`);
    expect(plan).not.toMatch(/SCAN audit_records(?! USING)/);
  });
});
