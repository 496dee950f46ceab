import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, mintDevToken, verifyAuditChains } from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'govdata-kill-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The mixed load: allowed, masked and denied reads, each touching at least one dataset. */
const KINDS = [
  {
    department: 'tax',
    purpose: null,
    query: '{ enterprises(first: 5) { nodes { name status } } }',
  },
  {
    department: 'civil_affairs',
    purpose: 'social-assistance',
    query: `{ person(idNumber: "${personIdNumberAt(DEMO_PERSON_INDEX)}") { name birthDate } }`,
  },
  {
    department: 'transport',
    purpose: null,
    query: `{ person(idNumber: "${personIdNumberAt(DEMO_PERSON_INDEX)}") { name } }`,
  },
] as const;

describe('nothing lost when the gateway is killed', () => {
  it('every request that got a response has its audit records, and the chain still verifies', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'start.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: '0',
        SUBGRAPH_PORT_BASE: '0',
        SEED_SCALE: '300',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, signal) => resolve(signal)),
    );
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no gateway within 60 s:\n${output}`)),
        60_000,
      );
      child.stdout.on('data', () => {
        const match = /gateway\s+(http:\/\/\S+\/graphql)/.exec(output);
        if (match && output.includes('GraphiQL')) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const auth = loadConfig({ DATA_DIR: dataDir }).auth;
    const tokens = Object.fromEntries(
      await Promise.all(
        KINDS.map(async (k) => [
          k.department,
          await mintDevToken(auth, { department: k.department, roles: ['APP_DEVELOPER'] }),
        ]),
      ),
    ) as Record<string, string>;

    const answered: { id: string; status: number }[] = [];
    let next = 0;
    const total = 600;
    const killAfter = 150;
    let killed = false;
    const worker = async () => {
      while (next < total) {
        const n = next++;
        const kind = KINDS[n % KINDS.length]!;
        const id = `kill-${n}`;
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${tokens[kind.department]}`,
              'x-request-id': id,
              ...(kind.purpose ? { 'x-purpose': kind.purpose } : {}),
            },
            body: JSON.stringify({ query: kind.query }),
          });
          await response.json();
          answered.push({ id, status: response.status });
          if (!killed && answered.length >= killAfter) {
            killed = true;
            child.kill('SIGKILL');
          }
        } catch {
          // The gateway is gone: this request got no response, so it owes no record.
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(await exited).toBe('SIGKILL');
    expect(answered.length).toBeGreaterThanOrEqual(killAfter);
    expect(answered.length).toBeLessThan(total);

    const db = knex({
      client: 'better-sqlite3',
      connection: { filename: join(dataDir, 'platform.sqlite') },
      useNullAsDefault: true,
    });
    try {
      // Each request was sent with its own X-Request-Id: the records' correlation id.
      const rows = await db<{
        correlation_id: string;
        kind: string;
        dataset_code: string | null;
        decision: string;
      }>('audit_records').select('correlation_id', 'kind', 'dataset_code', 'decision');
      const byRequest = new Map<string, typeof rows>();
      for (const row of rows)
        byRequest.set(row.correlation_id, [...(byRequest.get(row.correlation_id) ?? []), row]);
      const missing = answered.filter(({ id }) => {
        const records = byRequest.get(id) ?? [];
        return (
          !records.some((r) => r.kind === 'REQUEST') || !records.some((r) => r.kind === 'ACCESS')
        );
      });
      expect(missing).toEqual([]);
      const decisions = new Set(
        answered.flatMap(({ id }) => byRequest.get(id)!.map((r) => r.decision)),
      );
      expect([...decisions]).toEqual(expect.arrayContaining(['ALLOWED', 'MASKED', 'DENIED']));
      const verification = await verifyAuditChains(db);
      expect(verification.problems).toEqual([]);
      expect(verification.ok).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});
