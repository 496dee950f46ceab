import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'govdata-ports-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a second npm start', () => {
  it('fails at once when its port is taken, naming PORT and SUBGRAPH_PORT_BASE, before migrating anything', async () => {
    // Another process holds the gateway's port, as a first `npm start` would.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'scripts', 'start.ts')],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            DATA_DIR: dataDir,
            PORT: String(port),
            SUBGRAPH_PORT_BASE: '0',
            SEED_SCALE: '300',
          },
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, output).toBe(1);
      expect(output).toContain(`${port} (PORT, the gateway)`);
      expect(output).toMatch(/SUBGRAPH_PORT_BASE/);
      expect(output).not.toMatch(/applied \d+ migration|seeded/);
      // Nothing was created: no database files beside the development keys.
      const made = existsSync(dataDir) ? readdirSync(dataDir).filter((f) => f !== 'keys') : [];
      expect(made).toEqual([]);
    } finally {
      holder.close();
    }
  });
});
