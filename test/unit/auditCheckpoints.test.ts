import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuditCheckpointer,
  checkpointIsSigned,
  readAuditCheckpoints,
  signCheckpoint,
  type AuditCheckpoint,
} from '../../server/index.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const dirs: string[] = [];

function checkpointFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'govdata-checkpoints-'));
  dirs.push(dir);
  return join(dir, 'audit-checkpoints.jsonl');
}

function lines(file: string): AuditCheckpoint[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditCheckpoint);
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('audit checkpoints', () => {
  it('verify with the platform key, and with no other key or after any change', () => {
    const signed = signCheckpoint(
      { writer: 'w', seq: 7, hash: 'a'.repeat(64), at: '2026-11-30T00:00:00.000Z' },
      privateKey,
    );
    expect(checkpointIsSigned(signed, publicKey)).toBe(true);
    expect(checkpointIsSigned(signed, generateKeyPairSync('ed25519').publicKey)).toBe(false);
    for (const change of [{ seq: 8 }, { hash: 'b'.repeat(64) }, { writer: 'v' }, { at: 'x' }]) {
      expect(checkpointIsSigned({ ...signed, ...change }, publicKey), JSON.stringify(change)).toBe(
        false,
      );
    }
  });

  it('are written at the start, after everyRecords, and on flush; never twice for one head', async () => {
    const file = checkpointFile();
    const signer = new AuditCheckpointer('w1', {
      file,
      privateKey,
      intervalMs: 60_000,
      everyRecords: 3,
    });
    await signer.begin();
    signer.committed(2, 'b'.repeat(64));
    signer.committed(3, 'c'.repeat(64));
    await signer.flush();
    signer.committed(4, 'd'.repeat(64));
    await signer.flush();
    await signer.flush();
    expect(lines(file).map((c) => [c.seq, c.hash[0]])).toEqual([
      [0, '0'],
      [3, 'c'],
      [4, 'd'],
    ]);
    const read = readAuditCheckpoints({ files: [file], publicKey });
    expect(read.defects).toEqual([]);
    expect(read.checkpoints).toHaveLength(3);
  });

  it('are written within the interval when fewer records than everyRecords come', async () => {
    const file = checkpointFile();
    const signer = new AuditCheckpointer('w2', {
      file,
      privateKey,
      intervalMs: 100,
      everyRecords: 1000,
    });
    await signer.begin();
    signer.committed(1, 'e'.repeat(64));
    await new Promise((r) => setTimeout(r, 400));
    expect(lines(file).map((c) => c.seq)).toEqual([0, 1]);
  });
});
