import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditWriter, checkpointOffThread, openDatabase } from '../../server/index.ts';
import {
  FALLBACK_AUTOCHECKPOINT_PAGES,
  RESTART_FROM_PAGES,
} from '../../server/database/walCheckpointer.ts';

/** SQLite's page size here: a row of this many bytes fills some 25 pages of the log. */
const ROW_BYTES = 100_000;

let dir: string;
let file: string;
const open: Knex[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'govdata-wal-'));
  file = join(dir, 'platform.sqlite');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.destroy()));
  rmSync(dir, { recursive: true, force: true });
});

/** The platform database, its checkpoints handed to the thread (as an audit writer does). */
async function platform(): Promise<Knex> {
  const db = await openDatabase({ kind: 'sqlite', dir }, 'platform');
  open.push(db);
  await db.raw('SELECT 1');
  await checkpointOffThread(db);
  return db;
}

async function autocheckpointPages(db: Knex): Promise<number> {
  const rows = await db.raw<{ wal_autocheckpoint: number }[]>('PRAGMA wal_autocheckpoint');
  return rows[0]!.wal_autocheckpoint;
}

/** Resolves once `check` holds, checking every 20 ms; fails after `withinMs`. */
async function until(check: () => boolean | Promise<boolean>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not so within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `count` rows of ROW_BYTES, one commit each: writes go to the log, never to the file itself. */
async function write(db: Knex, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await db('pages').insert({ body: 'x'.repeat(ROW_BYTES) });
}

const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);

describe('SQLite checkpoints on a thread of their own', () => {
  it("are taken out of an audit writer's commits, and no other database's", async () => {
    const audited = await openDatabase({ kind: 'sqlite', dir }, 'platform');
    const other = await openDatabase({ kind: 'sqlite', dir }, 'public_security');
    open.push(audited, other);
    expect(await autocheckpointPages(audited)).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
    new AuditWriter(audited, 'gateway');
    await until(async () => (await autocheckpointPages(audited)) === 0, 5000);
    expect(await autocheckpointPages(other)).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
  });

  it("leaves a file another process's thread checkpoints out of this process's commits", async () => {
    // A gateway worker's connection to the platform database, whose audit writer (and thread)
    // is its cluster's primary: here, a connection with no thread, writing past SQLite's
    // own 1,000-page trigger.
    const worker = await openDatabase({ kind: 'sqlite', dir }, 'platform');
    open.push(worker);
    await worker.schema.createTable('pages', (t) => {
      t.increments('id');
      t.text('body');
    });
    const before = size(file);
    await write(worker, 60);
    // With SQLite's default, one of these commits would have copied the log into the file.
    expect(size(`${file}-wal`)).toBeGreaterThan(1000 * 4096);
    expect(size(file)).toBe(before);
    // The thread serving the file copies it back (the primary's, in the cluster).
    const primary = await platform();
    await until(() => size(file) >= before + 60 * ROW_BYTES, 5000);
    expect(await primary('pages').count({ n: '*' })).toEqual([{ n: 60 }]);
  });

  it('takes checkpoints out of the commits and still copies the log into the file', async () => {
    const db = await platform();
    await db.schema.createTable('pages', (t) => {
      t.increments('id');
      t.text('body');
    });
    // The connection stops checkpointing itself once the thread has the file.
    await until(async () => (await autocheckpointPages(db)) === 0, 5000);
    const before = size(file);
    // Past SQLite's own 1,000-page trigger: with it a commit here would have checkpointed.
    await write(db, 60);
    expect(size(`${file}-wal`)).toBeGreaterThan(1000 * 4096);
    // The rows reach the database file without any further statement of the connection's.
    await until(() => size(file) >= before + 60 * ROW_BYTES, 5000);
    expect(await db('pages').count({ n: '*' })).toEqual([{ n: 60 }]);
  });

  it('keeps the log within its bound under writes that never leave it empty', async () => {
    const db = await platform();
    await db.schema.createTable('pages', (t) => {
      t.increments('id');
      t.text('body');
    });
    const bound = RESTART_FROM_PAGES * 4096;
    // Five times the bound, a commit at a time with no pause a checkpoint could catch up in.
    const rows = Math.ceil((5 * bound) / ROW_BYTES);
    let largest = 0;
    for (let i = 0; i < rows; i++) {
      await db('pages').insert({ body: 'x'.repeat(ROW_BYTES) });
      largest = Math.max(largest, size(`${file}-wal`));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(largest).toBeGreaterThan(bound / 2);
    // Without the restarting checkpoint the log holds all five bounds' worth; with it, the bound
    // and what comes in before the thread's next turn: about twice the bound, more on a busy
    // machine (3.52 times once, in a CI run sharing two cores with other work).
    expect(largest).toBeLessThan(4 * bound);
    expect(await db('pages').count({ n: '*' })).toEqual([{ n: rows }]);
  });

  it('says so when the thread cannot take a file, which its connection then checkpoints itself', async () => {
    const db = await openDatabase({ kind: 'sqlite', dir }, 'platform');
    open.push(db);
    await db.raw('SELECT 1');
    // The connection has the file open; the thread, opening it by name, finds nothing there.
    rmSync(file);
    const problems: string[] = [];
    await checkpointOffThread(db, (problem) => problems.push(problem));
    expect(problems).toEqual([
      expect.stringMatching(
        /platform\.sqlite could not be opened .*; its connection checkpoints itself/,
      ),
    ]);
    expect(await autocheckpointPages(db)).toBe(1000);
  });

  it('serves each of several connections to a file, and the last one closed leaves no log', async () => {
    const first = await platform();
    const second = await platform();
    await first.schema.createTable('pages', (t) => {
      t.increments('id');
      t.text('body');
    });
    await until(async () => (await autocheckpointPages(first)) === 0, 5000);
    await until(async () => (await autocheckpointPages(second)) === 0, 5000);
    await first.destroy();
    open.splice(open.indexOf(first), 1);
    // The thread still checkpoints for the other connection.
    const before = size(file);
    await write(second, 60);
    await until(() => size(file) >= before + 60 * ROW_BYTES, 5000);
    await second.destroy();
    open.splice(open.indexOf(second), 1);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
