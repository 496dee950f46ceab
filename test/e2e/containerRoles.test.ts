/**
 * The Dockerfile, without a container engine: it is linted (dockerfile-utils,
 * the Docker language server's validator, plus the rules we hold it to:
 * multi-stage, production dependencies only, non-root, a health check), and
 * `npm run build`'s output is started role by role exactly as the image starts
 * it — ENTRYPOINT plus the role label's arguments, with the image's ENV — on
 * SQLite: the migrations job, the platform subgraph, a department's subgraph
 * and the gateway, which answers a query through the two. Only what a shared
 * test machine cannot give is changed: free ports instead of 4000 (PORT and
 * SUBGRAPH_PORT_BASE stay equal, as in the image), 127.0.0.1, a temporary DATA_DIR.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, mintDevToken } from '../../server/index.ts';
import { freePort } from '../../scripts/platform/portsAhead.ts';
import { startCommand, type CommandProcess } from '../support/commandProcess.ts';
import { readDockerImage } from '../support/dockerfileImage.ts';
import { ok } from '../support/responses.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.ts';
import { postGraphQL } from '../support/testPlatform.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DOCKERFILE = join(ROOT, 'Dockerfile');
const image = readDockerImage(DOCKERFILE);

describe('Dockerfile', () => {
  it('passes the Docker language server validator with no finding', () => {
    const findings = validate(readFileSync(DOCKERFILE, 'utf8')).map(
      (d) => `line ${d.range.start.line + 1}: ${JSON.stringify(d.message)}`,
    );
    expect(findings).toEqual([]);
  });

  it('builds in one stage and runs from another, with production dependencies only, as a non-root user, with a health check', () => {
    expect(image.stages).toBeGreaterThanOrEqual(2);
    const runs = image.instructions
      .filter((i) => i.getKeyword() === 'RUN')
      .map((i) => i.getArgumentsContent() ?? '');
    expect(runs.some((r) => /npm run build/.test(r) && /npm prune --omit=dev/.test(r))).toBe(true);
    expect(image.user).toBeTruthy();
    expect(['root', '0']).not.toContain(image.user);
    expect(image.healthcheck).toEqual(['node', 'dist/scripts/container/healthcheck.js']);
    expect(image.entrypoint).toEqual(['node']);
    // The default command is the gateway role; nothing runs through tsx.
    expect(image.cmd).toEqual(image.roles.gateway);
    for (const args of Object.values(image.roles)) expect(args[0]).toMatch(/^dist\/.*\.js$/);
    expect(Object.keys(image.roles).sort()).toEqual([
      'department',
      'gateway',
      'migrate',
      'platform',
    ]);
  });

  it('gives npm ci the patches its postinstall applies to the installed packages', () => {
    const at = (keyword: string, pattern: RegExp) =>
      image.instructions.findIndex(
        (i) => i.getKeyword() === keyword && pattern.test(i.getArgumentsContent() ?? ''),
      );
    expect(at('COPY', /^patches /)).toBeGreaterThanOrEqual(0);
    expect(at('COPY', /^patches /)).toBeLessThan(at('RUN', /npm ci/));
  });
});

describe('the image roles, started from the build as the Dockerfile starts them', () => {
  let database: TestDatabase;
  const running: CommandProcess[] = [];
  let env: Record<string, string>;

  /** ENTRYPOINT + the role's label arguments, with the image's ENV (ports and folders aside). */
  function role(name: string, port: number, extra: string[] = []): CommandProcess {
    const args = [...image.roles[name]!, ...extra];
    const command = startCommand(image.entrypoint[0]!, [...image.entrypoint.slice(1), ...args], {
      cwd: ROOT,
      env: { ...env, PORT: String(port), SUBGRAPH_PORT_BASE: String(port) },
    });
    running.push(command);
    return command;
  }

  /** The image's HEALTHCHECK command, run as Docker would inside the role's container. */
  async function healthcheck(port: number): Promise<number | null> {
    const [command, ...args] = image.healthcheck;
    const check = startCommand(command!, args, {
      cwd: ROOT,
      env: { ...env, PORT: String(port), SUBGRAPH_PORT_BASE: String(port) },
    });
    return (await check.exited).code;
  }

  beforeAll(async () => {
    const build = startCommand('npm', ['run', 'build'], { cwd: ROOT, env: {} });
    const built = await build.exited;
    if (built.code !== 0) throw new Error(`npm run build failed:\n${build.output()}`);
    database = createTestDatabase('sqlite');
    env = {
      ...image.env,
      HOST: '127.0.0.1',
      DATA_DIR: database.dir,
      DATABASE_URL: '',
      SEED_SCALE: '50',
      LOG_LEVEL: 'warn',
    };
    // The operator's secrets, made as an operator makes them with the image:
    // the gateway's key pair, the subgraphs' join key and city_water's audit key pair.
    const keys = startCommand(
      'node',
      ['dist/scripts/govdata.js', 'keys', 'init', '--department', 'city_water'],
      { cwd: ROOT, env },
    );
    const made = await keys.exited;
    if (made.code !== 0) throw new Error(`govdata keys init failed:\n${keys.output()}`);
    const config = loadConfig(env);
    for (const file of [
      config.auth.gatewayPrivateKeyFile,
      config.auth.gatewayPublicKeyFile,
      config.auth.joinKeyFile,
      join(config.auth.departmentKeys.signingDir, 'city_water.jwk.json'),
      join(config.auth.departmentKeys.verifyDir, 'city_water.jwk.json'),
    ]) {
      expect(keys.output()).toContain(file.replace(/^.*\/keys\//, ''));
      expect(existsSync(file), file).toBe(true);
    }
  }, 400_000);

  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await database?.drop();
  });

  it('runs the migrations job to completion', async () => {
    const job = role('migrate', 0);
    expect((await job.exited).code, job.output()).toBe(0);
    expect(job.output()).toContain('up to date');
  }, 120_000);

  it('serves the platform subgraph, a department subgraph and the gateway, healthy, answering through each other', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const platform = role('platform', ports[0]!);
    await platform.waitForLine(/serving http/);
    const water = role('department', ports[1]!);
    await water.waitForLine(/serving http/);
    const gateway = role('gateway', ports[2]!);
    const [, url] = await gateway.waitForLine(/serving (http:\/\/[^\s"]+)/);

    for (const port of ports) {
      expect(await healthcheck(port), `HEALTHCHECK on ${port}`).toBe(0);
    }
    const token = await mintDevToken(loadConfig(env).auth, {
      department: 'city_water',
      roles: ['APP_DEVELOPER'],
    });
    const accounts = ok(
      await postGraphQL<{ utilityAccounts: { nodes: { accountNumber: string }[] } }>(
        url!,
        '{ utilityAccounts(first: 2) { nodes { accountNumber } } }',
        {},
        { authorization: `Bearer ${token}` },
      ),
    );
    expect(accounts.utilityAccounts.nodes).toHaveLength(2);
    // The image runs with NODE_ENV=production, where Apollo Server refuses introspection unless
    // told otherwise: GraphiQL's own introspection must still answer a signed-in caller.
    expect(image.env.NODE_ENV).toBe('production');
    const schema = ok(
      await postGraphQL<{ __schema: { types: { name: string }[] } }>(
        url!,
        getIntrospectionQuery(),
        {},
        { authorization: `Bearer ${token}` },
      ),
    );
    expect(schema.__schema.types.map((t) => t.name)).toContain('UtilityAccount');
    // Under the image's NODE_ENV=production every line a role prints is a JSON log record,
    // its start-up lines included, for the log collector.
    for (const [name, role] of [
      ['platform', platform],
      ['department', water],
      ['gateway', gateway],
    ] as const) {
      const lines = role
        .output()
        .split('\n')
        .filter((line) => line.trim() !== '');
      expect(lines.length, name).toBeGreaterThan(0);
      for (const line of lines) {
        expect((): unknown => JSON.parse(line), `${name}: ${line}`).not.toThrow();
      }
    }
    expect(gateway.output()).toMatch(/"component":"gateway","msg":"1 worker\(s\) serving http/);
    // And the HEALTHCHECK fails where nothing answers.
    expect(await healthcheck(await freePort())).toBe(1);
  }, 300_000);
});
