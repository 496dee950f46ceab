import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Every command line as a newcomer runs it: `--help` on each command and
 * sub-command prints usage, options and an example and exits 0; a wrong
 * invocation exits 1, names what was wrong and lists what there is — never a
 * stack trace. Run through the real entry points: the scripts under tsx, the
 * npm scripts and the `govdata` bin.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'govdata-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `node --import tsx scripts/<script> …`: what each npm script runs. */
const script = (file: string, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join('scripts', file), ...args]);

const STACK = /\n\s+at .+:\d+:\d+/;

const HELP: [string, string, string[]][] = [
  ['npm start', 'start.ts', []],
  ['npm run gateway', 'gateway.ts', []],
  ['npm run seed', 'seed.ts', []],
  ['npm run migrate', 'migrate.ts', []],
  ['npm run compose', 'compose.ts', []],
  ['npm run token', 'token.ts', []],
  ['npm run apikey', 'apikey.ts', []],
  ['npm run apikey -- issue', 'apikey.ts', ['issue']],
  ['npm run apikey -- list', 'apikey.ts', ['list']],
  ['npm run apikey -- revoke', 'apikey.ts', ['revoke']],
  ['npm run bench', 'bench.ts', []],
  ['npm run audit:verify', 'auditVerify.ts', []],
  ['npm run cluster', 'cluster.ts', []],
  ['npm run cluster:faults', 'clusterFaults.ts', []],
  ['npm run vendor:graphiql', 'vendorGraphiql.ts', []],
  ['govdata', 'govdata.ts', []],
  ['govdata dataset', 'govdata.ts', ['dataset']],
  ['govdata dataset init', 'govdata.ts', ['dataset', 'init']],
  ['govdata subgraph', 'govdata.ts', ['subgraph']],
  ['govdata subgraph check', 'govdata.ts', ['subgraph', 'check']],
  ['govdata subgraph publish', 'govdata.ts', ['subgraph', 'publish']],
  ['govdata quality', 'govdata.ts', ['quality']],
  ['govdata quality run', 'govdata.ts', ['quality', 'run']],
  ['govdata serve', 'govdata.ts', ['serve']],
  ['govdata export', 'govdata.ts', ['export']],
  ['govdata keys', 'govdata.ts', ['keys']],
  ['govdata keys init', 'govdata.ts', ['keys', 'init']],
];

describe('--help', () => {
  it('covers every entry point under scripts/', () => {
    const covered = new Set(HELP.map(([, file]) => file));
    const entryPoints = readdirSync(join(ROOT, 'scripts')).filter((f) => f.endsWith('.ts'));
    expect(entryPoints.filter((f) => !covered.has(f))).toEqual([]);
  });

  it.each(HELP)(
    '%s --help prints usage, options and an example, and exits 0',
    async (_, file, sub) => {
      const result = await script(file, ...sub, '--help');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: /);
      expect(result.stdout).toMatch(/\nOptions:\n[\s\S]*-h, --help/);
      expect(result.stdout).toMatch(/\nExamples:\n {2}\S/);
    },
  );

  it('the npm scripts pass --help through', async () => {
    const result = await run('npm', ['run', '--silent', 'seed', '--', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run seed -- \[options\]/);
    expect(result.stdout).toMatch(/--scale <people>/);
  });

  it('npx govdata --help and npx govdata alone list the commands, without a stack trace', async () => {
    const help = await run('npx', ['govdata', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:\n\s+dataset[\s\S]*\n\s+subgraph/);
    const bare = await run('npx', ['govdata']);
    expect(bare.stdout + bare.stderr).toMatch(/Commands:\n\s+dataset[\s\S]*\n\s+subgraph/);
    for (const r of [help, bare]) expect(r.stdout + r.stderr).not.toMatch(STACK);
  });
});

describe('wrong invocations', () => {
  it('an unknown option names itself and the help lists the valid ones', async () => {
    const result = await script('seed.ts', '--scael', '5');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown option '--scael'/);
    expect(result.stderr).toMatch(/--scale <people>/);
    expect(result.stderr).not.toMatch(STACK);
  });

  it('an unknown sub-command is named and the commands listed', async () => {
    const result = await script('govdata.ts', 'datasets', 'init');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown command 'datasets'/);
    expect(result.stderr).toMatch(/\n\s+dataset\s/);
  });

  it('an unknown department is named with the departments there are', async () => {
    const result = await script(
      'govdata.ts',
      'dataset',
      'init',
      '--department',
      'water_works',
      '--table',
      'water_meters',
      '--code',
      'X-1',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/water_works is not a department/);
    expect(result.stderr).toMatch(/city_water/);
    expect(result.stderr).toMatch(/public_security/);
    expect(result.stderr).not.toMatch(STACK);
  });

  it('a bad value names the option and what it takes', async () => {
    const suite = await script('bench.ts', '--suite', 'gateways,speed');
    expect(suite.code).toBe(1);
    expect(suite.stderr).toMatch(
      /--suite <names>.*speed: choose from gateways, fetch, governance, rules, audit, stress/,
    );
    const role = await script('token.ts', '--department', 'civil_affairs', '--role', 'KING');
    expect(role.code).toBe(1);
    expect(role.stderr).toMatch(/unknown role KING; roles are APP_DEVELOPER, DEPT_IT/);
    const ttl = await script('token.ts', '--department', 'civil_affairs', '--ttl', 'forever');
    expect(ttl.code).toBe(1);
    expect(ttl.stderr).toMatch(/--ttl <span>.*forever.*a whole number and a unit: 30m, 8h/);
    expect(ttl.stdout).toBe('');
  });

  it('a missing required option is named', async () => {
    const result = await script('token.ts');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/required option '-d, --department <code>' not specified/);
    expect(result.stdout).toBe('');
  });
});

describe('the command line log', () => {
  it('at LOG_LEVEL=debug says on stderr what ran and why it failed, with the stack, and no option value', async () => {
    const args = [
      '--import',
      'tsx',
      join('scripts', 'govdata.ts'),
      ...['subgraph', 'publish', '--department', 'water_works', '--force'],
      ...['--admin-token', 'not-a-real-token-4f7a'],
    ];
    const quiet = await run(process.execPath, args);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).not.toMatch(STACK);
    const debug = await new Promise<Run>((resolve) => {
      execFile(
        process.execPath,
        args,
        {
          cwd: ROOT,
          env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'debug' },
          timeout: 60_000,
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
    expect(debug.code).toBe(1);
    const lines = debug.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map(
        (l) =>
          JSON.parse(l) as {
            msg: string;
            command?: string;
            options?: string[];
            err?: { stack: string };
          },
      );
    const started = lines.find((l) => l.msg === 'command started');
    expect(started).toMatchObject({ command: 'govdata subgraph publish' });
    expect(started!.options).toEqual(expect.arrayContaining(['department', 'force', 'adminToken']));
    const failed = lines.find((l) => l.msg === 'command failed');
    expect(failed?.err?.stack).toMatch(STACK);
    expect(debug.stderr).not.toContain('not-a-real-token-4f7a');
    expect(debug.stdout).toBe('');
  });
});
