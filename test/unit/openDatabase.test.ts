import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/index.ts';

let dir: string;
const open: Knex[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'govdata-open-'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.destroy()));
  rmSync(dir, { recursive: true, force: true });
});

async function opened(name: string): Promise<Knex> {
  const db = await openDatabase({ kind: 'sqlite', dir }, name);
  open.push(db);
  return db;
}

async function mmapSize(db: Knex): Promise<number> {
  const rows = await db.raw<{ mmap_size: number }[]>('PRAGMA mmap_size');
  return rows[0]!.mmap_size;
}

describe('openDatabase on SQLite', () => {
  it("reads a department's file through a memory mapping, and not the platform's", async () => {
    expect(await mmapSize(await opened('public_security'))).toBeGreaterThanOrEqual(2 ** 30);
    expect(await mmapSize(await opened('platform'))).toBe(0);
  });

  it('reads through the mapping what another connection wrote, in the log and after a checkpoint', async () => {
    const writer = await opened('public_security');
    const reader = await opened('public_security');
    await writer.schema.createTable('persons', (t) => {
      t.string('id_number').primary();
      t.text('name');
    });
    const names = (db: Knex) => db('persons').orderBy('id_number').pluck('name');
    await writer('persons').insert({ id_number: 'A1', name: '张三' });
    expect(await names(reader)).toEqual(['张三']);
    // Pages many times SQLite's own cache, read once mapped, then changed elsewhere.
    const many = Array.from({ length: 4000 }, (_, i) => ({
      id_number: `B${String(i).padStart(5, '0')}`,
      name: 'x'.repeat(1000),
    }));
    for (let i = 0; i < many.length; i += 200)
      await writer('persons').insert(many.slice(i, i + 200));
    expect(await names(reader)).toHaveLength(4001);
    await writer.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    await writer('persons').where({ id_number: 'A1' }).update({ name: '李四' });
    await writer('persons').where('id_number', '>', 'B02000').delete();
    const read = await names(reader);
    expect(read).toHaveLength(2002);
    expect(read[0]).toBe('李四');
  });
});
