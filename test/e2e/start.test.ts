import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, mintDevToken } from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { postGraphQL } from '../support/testPlatform.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'govdata-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('migrates and seeds on first run, prints the URLs, answers, and stops cleanly on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'start.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: '0',
        SUBGRAPH_PORT_BASE: '0',
        SEED_SCALE: '300',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      const gatewayUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no gateway URL within 60 s:\n${output}`)),
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
      expect(output).toMatch(/public_security: seeded 300 rows/);
      expect(output).toMatch(/GraphiQL http:\/\/\S+\//);
      expect(output.match(/subgraph \w+\s+http:\/\/\S+\/graphql/g)).toHaveLength(7);

      const token = await mintDevToken(loadConfig({ DATA_DIR: dataDir }).auth, {
        department: 'civil_affairs',
        roles: ['APP_DEVELOPER'],
      });
      const response = await postGraphQL<{ person: { name: string; licenses: unknown[] } }>(
        gatewayUrl,
        `query($id: String!) { person(idNumber: $id) { name licenses { kind } } }`,
        { id: personIdNumberAt(DEMO_PERSON_INDEX) },
        { authorization: `Bearer ${token}`, 'x-purpose': 'social-assistance' },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.person.licenses.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('SIGINT: stopping');
  });
});
