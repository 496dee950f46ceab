import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parse } from 'graphql';
import { composeSupergraph } from '../../../gateway/index.ts';
import type { Catalogue } from '../../../schema/index.ts';
import {
  loadConfig,
  mintDevToken,
  selectGrant,
  updateGrant,
  type PlatformConfig,
} from '../../../server/index.ts';
import { buildDepartmentSubgraph } from '../../../subgraphs/kit/index.ts';
import { listTables } from '../../../subgraphs/kit/introspection/index.ts';
import { selectEntryVersions } from '../../../subgraphs/platform/catalogue/index.ts';
import { PLATFORM_SUBGRAPH, PLATFORM_TYPE_DEFS } from '../../../subgraphs/platform/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../../subgraphs/demo-data/index.ts';
import {
  loadPlatformCatalogue,
  prepareDepartmentData,
  preparePlatformData,
} from '../../platform/index.ts';
import { freePort, freePortRange } from '../../platform/portsAhead.ts';
import {
  nextMessage,
  peakMemoryMiB,
  startService,
  type Service,
  waitUntilServing,
} from '../processes.ts';
import { median } from '../summarize.ts';
import {
  generateProvince,
  spareDataset,
  spareEntryYaml,
  type ProvinceScale,
} from './generateProvince.ts';
import { PROVINCE_PURPOSE, seedProvinceGrants, WATCHED_GRANT } from './seedProvinceGrants.ts';

export interface ProvinceBenchSetup {
  /** Where the bench's data folders go (`data` unless DATA_DIR says otherwise). */
  dataRoot: string;
  scale: ProvinceScale;
  replicas: number;
  /** Grant changes timed. */
  rounds: number;
  /** Seconds the replicas' reload cost is measured over. */
  seconds: number;
  /** Write V8 CPU profiles of the platform's and the replicas' processes here. */
  profileDir?: string;
  log: (message: string) => void;
}

export interface ReplicaFigures {
  initialLoadMs: number;
  cpuMsPerSecond: number;
  maxLoopDelayMs: number;
  peakRssMiB: number | null;
}

export interface ProvinceResult {
  scale: ProvinceScale & { synthetic: number; conditional: number };
  catalogueLoadMs: number;
  catalogueLoadCpuMs: number;
  subgraphBuildMs: number;
  subgraphBuildCpuMs: number;
  compositionMs: number;
  compositionCpuMs: number;
  supergraphSdlKiB: number;
  planning: {
    supergraphBuildMs: number;
    plannerMs: number;
    firstPlanMs: number;
    warmPlanMs: number;
  };
  startup: {
    wallMs: number;
    processMs: number;
    cpuMs: number;
    steps: { ms: number; message: string }[];
  };
  /** The platform stopped and started again on the same data: nothing new to compose. */
  restart: { wallMs: number; processMs: number; cpuMs: number };
  readmeQuery: { firstMs: number; warmMs: number; failures: number; failed: string[] };
  hotReload: {
    dataset: string;
    publishMs: number;
    inForceMs: number;
    /** The README's query asked every 100 ms, one at a time, until the new dataset was served. */
    meanwhile: Meanwhile;
    /**
     * Another publication, through `npm run gateway -- --workers 2`, whose
     * primary replaces its workers on the new supergraph, with the platform
     * process's own gateway kept on its supergraph.
     */
    workers: { dataset: string; publishMs: number; inForceMs: number; meanwhile: Meanwhile };
  };
  platformIdleCpuMsPerSecond: number;
  replicas: ReplicaFigures[];
  grantChange: { inForceEverywhereMs: number[]; medianMs: number; maxMs: number };
  memory: { platformPeakRssMiB: number | null; benchHeapMiB: number };
}

/** The README's query asked again and again while a dataset is published. */
interface Meanwhile {
  answers: number;
  failures: number;
  medianMs: number;
  maxMs: number;
}

/** The README's query (a person with licences, credit records, land parcels, water accounts). */
const README_QUERY = `query PersonWithRecords($idNumber: String!) { person(idNumber: $idNumber) { idNumber name gender regionCode phone licenses { licenseNumber kind status } creditRecords { category authority decidedOn } landParcels { parcelCode landUse areaSqm } utilityAccounts { accountNumber address monthlyUsageM3 arrears } } }`;

const since = (start: number) => performance.now() - start;
/** CPU (user and system) this process used since `start`, in ms: on a shared machine, the figure to compare. */
const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

/** CPU time (user + system) a process has used, in ms (Linux `/proc`). */
async function processCpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are the 14th and 15th fields of the whole line: 12th and 13th after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * The synthetic province, measured: generated once per scale into its own data
 * folder (departments, catalogue, tables, grants), then the catalogue's
 * loading, the subgraphs' building, composition and query planning measured in
 * this process; the whole platform started in its own process (start-up time,
 * memory); a catalogue change published through the platform API and timed
 * until the gateway answers the new field; replicas' policy stores in their
 * own processes, their CPU measured while nothing changes, and grant changes
 * made through the admin API timed until every replica and the gateway have them.
 */
export async function runProvinceBench(setup: ProvinceBenchSetup): Promise<ProvinceResult> {
  const { scale, log } = setup;
  const dataDir = join(
    setup.dataRoot,
    `bench-province-${scale.departments}-${scale.entries}-${scale.grants}`,
  );
  const dirs = generateProvince(join(dataDir, 'departments'), scale);
  // Publishing composes the whole province while the reviewer waits: no timeout cuts it short.
  const env = {
    DATA_DIR: dataDir,
    SEED_SCALE: '1000',
    LOG_LEVEL: 'warn',
    SUBGRAPH_TIMEOUT_MS: '3600000',
    REQUEST_TIMEOUT_MS: '3600000',
  };
  const config: PlatformConfig = { ...loadConfig(env), gatewayPort: 0, subgraphPortBase: 0 };

  let started = performance.now();
  let cpu = process.cpuUsage();
  const catalogue = loadPlatformCatalogue({ departmentDirs: dirs });
  const catalogueLoadMs = since(started);
  const catalogueLoadCpuMs = cpuSince(cpu);
  log(
    `province: ${catalogue.departments.length} departments, ${catalogue.entries.length} entries (loaded in ${Math.round(catalogueLoadMs)} ms)`,
  );
  const platformDb = await preparePlatformData(config, catalogue, 'if-empty', log);
  try {
    const departments = await prepareDepartmentData(
      config,
      catalogue,
      'if-empty',
      log,
      await listTables(platformDb),
    );
    await Promise.all([...departments.values()].map((db) => db.destroy()));
    await seedProvinceGrants(platformDb, catalogue, scale.grants, log);

    const inProcess = measureInProcess(catalogue, config, log);
    const result = await measureRunning(setup, config, dataDir, dirs, catalogue, platformDb, env);
    return {
      scale: {
        ...scale,
        synthetic: catalogue.departments.length - 6,
        conditional: catalogue.entries.filter((e) => e.sharing.type === 'CONDITIONAL').length,
      },
      catalogueLoadMs,
      catalogueLoadCpuMs,
      ...inProcess,
      ...result,
      memory: { ...result.memory, benchHeapMiB: process.memoryUsage().heapUsed / 2 ** 20 },
    };
  } finally {
    await platformDb.destroy();
  }

  function measureInProcess(catalogueNow: Catalogue, settings: PlatformConfig, say: typeof log) {
    started = performance.now();
    cpu = process.cpuUsage();
    const subgraphs = catalogueNow.departments.map((d, i) => ({
      name: d.code,
      url: `http://127.0.0.1:${4001 + i}/graphql`,
      typeDefs: buildDepartmentSubgraph(catalogueNow, d.code, {
        maxPageSize: settings.maxPageSize,
      }).typeDefs,
    }));
    const subgraphBuildMs = since(started);
    const subgraphBuildCpuMs = cpuSince(cpu);
    say(`province: built ${subgraphs.length} subgraphs in ${Math.round(subgraphBuildMs)} ms`);
    started = performance.now();
    cpu = process.cpuUsage();
    const sdl = composeSupergraph([
      ...subgraphs,
      {
        name: PLATFORM_SUBGRAPH,
        url: 'http://127.0.0.1:4000/platform',
        typeDefs: PLATFORM_TYPE_DEFS,
      },
    ]);
    const compositionMs = since(started);
    const compositionCpuMs = cpuSince(cpu);
    say(`province: composed the supergraph in ${Math.round(compositionMs)} ms`);
    started = performance.now();
    const supergraph = Supergraph.build(sdl);
    const supergraphBuildMs = since(started);
    started = performance.now();
    const planner = new QueryPlanner(supergraph);
    const plannerMs = since(started);
    const plan = () => {
      const at = performance.now();
      planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(README_QUERY)));
      return since(at);
    };
    const firstPlanMs = plan();
    const warmPlanMs = median(Array.from({ length: 10 }, plan));
    say(
      `province: planned the README's query in ${firstPlanMs.toFixed(1)} ms cold, ${warmPlanMs.toFixed(1)} ms warm`,
    );
    return {
      subgraphBuildMs,
      subgraphBuildCpuMs,
      compositionMs,
      compositionCpuMs,
      supergraphSdlKiB: Buffer.byteLength(sdl) / 1024,
      planning: { supergraphBuildMs, plannerMs, firstPlanMs, warmPlanMs },
    };
  }
}

async function measureRunning(
  setup: ProvinceBenchSetup,
  config: PlatformConfig,
  dataDir: string,
  dirs: readonly string[],
  catalogue: Catalogue,
  platformDb: Awaited<ReturnType<typeof preparePlatformData>>,
  env: Record<string, string>,
) {
  const { log } = setup;
  const childEnv = { ...process.env, ...env, NODE_ENV: 'production' };
  const script = (name: string) => join(import.meta.dirname, name);
  const profile = setup.profileDir ? ['--cpu-prof', '--cpu-prof-dir', setup.profileDir] : [];
  const services: Service[] = [];
  try {
    // The grant the rounds change starts each run as it was seeded.
    const watched = (await selectGrant(platformDb, WATCHED_GRANT))!;
    const entry = catalogue.entry(watched.datasetCode)!;
    const items = entry.items.slice(0, 3).map((i) => i.name);
    if (watched.items.join() !== items.join()) {
      await updateGrant(
        platformDb,
        { ...watched, items, version: watched.version + 1 },
        watched.version,
      );
    }

    // Every department, the platform and the cross-level subgraph, each on its own port.
    const portBase = await freePortRange(dirs.length + 2);
    /** Starts the platform process and waits until its gateway serves. */
    const startPlatform = async () => {
      const spawned = performance.now();
      const service = startService(
        'province platform',
        [...profile, '--import', 'tsx', script('provinceHost.ts')],
        {
          ...childEnv,
          BENCH_PROVINCE_DEPARTMENTS: JSON.stringify(dirs),
          BENCH_PROVINCE_PORT_BASE: String(portBase),
        },
      );
      services.push(service);
      const ready = await nextMessage<{
        url: string;
        ms: number;
        cpu: NodeJS.CpuUsage;
        steps: { ms: number; message: string }[];
      }>(service, 'ready', 600_000);
      const figures = {
        wallMs: since(spawned),
        processMs: ready.ms,
        cpuMs: (ready.cpu.user + ready.cpu.system) / 1000,
        steps: ready.steps,
      };
      return { service, url: ready.url, figures };
    };
    const first = await startPlatform();
    const startup = first.figures;
    log(`province: the platform served after ${(startup.wallMs / 1000).toFixed(1)} s`);
    // Stopped and started again on the same data: a restart with nothing new to compose.
    await first.service.stop();
    services.splice(services.indexOf(first.service), 1);
    const again = await startPlatform();
    const platform = again.service;
    const gateway = again.url;
    const restart = {
      wallMs: again.figures.wallMs,
      processMs: again.figures.processMs,
      cpuMs: again.figures.cpuMs,
    };
    log(`province: started again after ${(restart.wallMs / 1000).toFixed(1)} s`);
    const token = (department: string, role: 'APP_DEVELOPER' | 'DEPT_IT' | 'REVIEWER' | 'ADMIN') =>
      mintDevToken(config.auth, { department, roles: [role], user: 'bench', expiresIn: '2h' });
    const ask = async (
      query: string,
      variables: Record<string, unknown>,
      headers: Record<string, string>,
      url = gateway,
    ) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      }).catch((error: unknown) => {
        // undici says only "fetch failed"; the cause and the platform's last words say why.
        const cause =
          error instanceof Error && error.cause instanceof Error ? `: ${String(error.cause)}` : '';
        const exited = platform.child.exitCode ?? platform.child.signalCode;
        throw new Error(
          `${url} could not be asked (${String(error)}${cause})` +
            `${exited === null ? '' : `; the platform process had exited (${exited})`}` +
            `\nthe platform's log ends:\n${platform.stderr()}`,
        );
      });
      return (await response.json()) as {
        data?: Record<string, unknown> | null;
        errors?: { message: string }[];
      };
    };

    // The README's query: the first request plans it, later ones take the plan from the cache.
    const civil = {
      authorization: `Bearer ${await token('civil_affairs', 'APP_DEVELOPER')}`,
      'x-purpose': 'social-assistance',
    };
    // A request the platform could not answer (the audit trail waiting on a busy
    // platform database, say) is counted and asked again, up to 20 times.
    let failures = 0;
    const failed: string[] = [];
    const timeReadme = async (): Promise<number> => {
      for (;;) {
        const at = performance.now();
        const answer = await ask(
          README_QUERY,
          { idNumber: personIdNumberAt(DEMO_PERSON_INDEX) },
          civil,
        );
        if ((answer.data?.person as { licenses?: unknown[] } | undefined)?.licenses?.length)
          return since(at);
        failures++;
        failed.push(answer.errors?.[0]?.message ?? JSON.stringify(answer));
        if (failures > 20)
          throw new Error(`the README's query did not answer in full: ${JSON.stringify(answer)}`);
        await sleep(200);
      }
    };
    const firstMs = await timeReadme();
    const warm: number[] = [];
    for (let i = 0; i < 10; i++) warm.push(await timeReadme());
    const readmeQuery = { firstMs, warmMs: median(warm), failures, failed: [...new Set(failed)] };
    if (failures > 0) log(`province: the README's query failed ${failures} time(s): ${failed[0]}`);

    const check = (answer: { errors?: unknown[] }, what: string) => {
      if (answer.errors) {
        throw new Error(
          `${what}: ${JSON.stringify(answer.errors)}\nthe platform's log ends:\n${platform.stderr()}`,
        );
      }
    };
    const reviewer = { authorization: `Bearer ${await token('data_office', 'REVIEWER')}` };
    const reader = { authorization: `Bearer ${await token('civil_affairs', 'APP_DEVELOPER')}` };
    /** The README's query asked through `url` every 100 ms until the returned function is called. */
    const keepAsking = (url: string) => {
      const asked = { latencies: [] as number[], failures: 0, asking: true };
      const done = (async () => {
        while (asked.asking) {
          const at = performance.now();
          const answer = await ask(
            README_QUERY,
            { idNumber: personIdNumberAt(DEMO_PERSON_INDEX) },
            civil,
            url,
          ).catch(() => null);
          asked.latencies.push(since(at));
          if (!(answer?.data?.person as { licenses?: unknown[] } | undefined)?.licenses?.length)
            asked.failures++;
          await sleep(100);
        }
      })();
      return async (): Promise<Meanwhile> => {
        asked.asking = false;
        await done;
        return {
          answers: asked.latencies.length,
          failures: asked.failures,
          medianMs: median(asked.latencies),
          maxMs: Math.max(...asked.latencies),
        };
      };
    };
    /**
     * Department IT registers the next spare dataset, a reviewer publishes it
     * while the README's query is asked through `url`, and the clock runs until
     * `inForce` (given the publication's start) says it is served.
     */
    const publishSpare = async (
      url: string,
      inForce: (spare: ReturnType<typeof spareDataset>, started: number) => Promise<number>,
    ) => {
      const spareOwner = await unpublishedSpare(platformDb, catalogue, dataDir);
      const spare = spareDataset(spareOwner);
      const it = { authorization: `Bearer ${await token(spareOwner, 'DEPT_IT')}` };
      const saved = await ask(
        `mutation ($doc: String!) { saveCatalogueDraft(document: $doc, changeReason: "province bench", triggerDate: "2026-11-20") { version } }`,
        { doc: spareEntryYaml(spareOwner) },
        it,
      );
      check(saved, 'saveCatalogueDraft');
      const version = (saved.data!.saveCatalogueDraft as { version: number }).version;
      check(
        await ask(
          `mutation ($code: String!, $version: Int!) { submitCatalogueEntry(code: $code, version: $version) { status } }`,
          { code: spare.code, version },
          it,
        ),
        'submitCatalogueEntry',
      );
      const meanwhile = keepAsking(url);
      const started = performance.now();
      check(
        await ask(
          `mutation ($code: String!, $version: Int!) { publishCatalogueEntry(code: $code, version: $version) { status } }`,
          { code: spare.code, version },
          reviewer,
        ),
        'publishCatalogueEntry',
      );
      const publishMs = since(started);
      const inForceMs = await inForce(spare, started);
      return { dataset: spare.code, publishMs, inForceMs, meanwhile: await meanwhile() };
    };
    /** Until `url` answers the spare's list field. */
    const servedBy =
      (url: string) => async (spare: ReturnType<typeof spareDataset>, started: number) => {
        for (;;) {
          const answer = await ask(
            `{ ${spare.list}(first: 1) { nodes { recordId } } }`,
            {},
            reader,
            url,
          );
          if (!answer.errors) return since(started);
          if (since(started) > 600_000)
            throw new Error(`${spare.list} not served after 10 minutes`);
          await sleep(20);
        }
      };

    // Hot reload: a publication through the one-process platform, whose gateway
    // takes up the new supergraph itself.
    const published = await publishSpare(gateway, servedBy(gateway));
    log(
      `province: ${published.dataset} published in ${Math.round(published.publishMs)} ms, served after ${Math.round(published.inForceMs)} ms; the README's query meanwhile: median ${Math.round(published.meanwhile.medianMs)} ms, slowest ${Math.round(published.meanwhile.maxMs)} ms`,
    );

    // Then through gateway workers (README: More gateway processes), whose primary
    // replaces them on the new supergraph, in front of subgraphs no gateway of
    // their process holds up: the platform process's own gateway stays on the
    // supergraph it serves, as where departments host their own subgraphs.
    const workersPort = await freePort();
    const workersUrl = `http://127.0.0.1:${workersPort}/graphql`;
    const workers = startService(
      'gateway workers',
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '..', '..', 'gateway.ts'),
        '--workers',
        '2',
        '--port',
        String(workersPort),
      ],
      childEnv,
    );
    services.push(workers);
    await waitUntilServing(workers, workersUrl, 600_000);
    platform.child.send('pin gateway');
    await nextMessage(platform, 'pinned');
    const replaced = new Promise<void>((resolve, reject) => {
      let seen = '';
      workers.child.stdout!.on('data', (chunk: Buffer) => {
        seen = (seen + chunk.toString()).slice(-1000);
        if (/workers replaced in \d+ ms/.test(seen)) resolve();
        else if (/workers not replaced/.test(seen)) reject(new Error(seen));
      });
    });
    // Awaited once the dataset is published; a failure before then must not end the bench.
    replaced.catch(() => undefined);
    const throughWorkers = await publishSpare(workersUrl, async (spare, started) => {
      // Every worker serves it once the primary says the last old one has ended.
      await replaced;
      return servedBy(workersUrl)(spare, started);
    });
    await workers.stop();
    services.splice(services.indexOf(workers), 1);
    log(
      `province: ${throughWorkers.dataset} published in ${Math.round(throughWorkers.publishMs)} ms, served by the replaced workers after ${Math.round(throughWorkers.inForceMs)} ms; the README's query through them meanwhile: median ${Math.round(throughWorkers.meanwhile.medianMs)} ms, slowest ${Math.round(throughWorkers.meanwhile.maxMs)} ms`,
    );
    const hotReload = { ...published, workers: throughWorkers };

    // Replicas' policy stores, then their cost while nothing changes.
    const replicas = Array.from({ length: setup.replicas }, (_, i) =>
      startService(
        `replica ${i + 1}`,
        [...profile, '--import', 'tsx', script('replicaHost.ts')],
        childEnv,
      ),
    );
    services.push(...replicas);
    const loaded = await Promise.all(
      replicas.map((r) => nextMessage<{ loadMs: number }>(r, 'ready', 600_000)),
    );
    await sleep(2000);
    const windowMs = setup.seconds * 1000;
    const platformCpuBefore = await processCpuMs(platform.child.pid!);
    const cpuStarted = performance.now();
    const cpu = await Promise.all(
      replicas.map((r) => {
        r.child.send({ cpu: windowMs });
        return nextMessage<{ msPerSecond: number; maxLoopDelayMs: number }>(
          r,
          'cpu',
          windowMs + 60_000,
        );
      }),
    );
    const platformIdleCpuMsPerSecond =
      ((await processCpuMs(platform.child.pid!)) - platformCpuBefore) / (since(cpuStarted) / 1000);
    log(
      `province: reload cost ${cpu.map((c) => c.msPerSecond.toFixed(0)).join(', ')} ms CPU/s on the replicas, ${platformIdleCpuMsPerSecond.toFixed(0)} ms/s in the idle platform process`,
    );

    // Grant changes through the admin API, until every replica and the gateway have them.
    const admin = { authorization: `Bearer ${await token('data_office', 'ADMIN')}` };
    const consumer = {
      authorization: `Bearer ${await token(watched.consumerDepartment, 'APP_DEVELOPER')}`,
      'x-purpose': PROVINCE_PURPOSE,
    };
    const lookup = entry.binding.type.charAt(0).toLowerCase() + entry.binding.type.slice(1);
    const read = `{ ${lookup}(recordId: "${entry.binding.table}-0") { recordId title regionCode } }`;
    const inForceEverywhereMs: number[] = [];
    let current = (await selectGrant(platformDb, WATCHED_GRANT))!;
    for (let round = 0; round < setup.rounds; round++) {
      const narrowed = current.items.includes('regionCode');
      const nextItems = narrowed
        ? current.items.filter((i) => i !== 'regionCode')
        : [...current.items, 'regionCode'];
      const target = current.version + 1;
      const seen = Promise.all(
        replicas.map((r) => {
          r.child.send({
            watch: {
              consumer: current.consumerDepartment,
              dataset: current.datasetCode,
              id: current.id,
              version: target,
            },
          });
          return nextMessage<number>(r, 'seen', 60_000);
        }),
      );
      // Should the change fail, the replicas are stopped while they watch: that
      // rejection must not hide the change's own error.
      seen.catch(() => undefined);
      const changedAt = Date.now();
      check(
        await ask(
          `mutation ($id: ID!, $version: Int!, $conditions: GrantConditionsInput!) { updateGrant(id: $id, expectedVersion: $version, conditions: $conditions, reason: "province bench") { version } }`,
          {
            id: current.id,
            version: current.version,
            conditions: {
              items: nextItems,
              purposes: current.purposes,
              modes: current.modes,
              validFrom: current.validFrom,
              validUntil: current.validUntil,
            },
          },
          admin,
        ),
        'updateGrant',
      );
      let gatewayAt = 0;
      for (;;) {
        const answer = await ask(read, {}, consumer);
        const record = answer.data?.[lookup] as { regionCode?: string | null } | null | undefined;
        const hasRegion = typeof record?.regionCode === 'string';
        if (record && hasRegion !== narrowed) {
          gatewayAt = Date.now();
          break;
        }
        if (Date.now() - changedAt > 60_000)
          throw new Error(`grant change not in force at the gateway: ${JSON.stringify(answer)}`);
        await sleep(10);
      }
      const everywhere = Math.max(gatewayAt, ...(await seen)) - changedAt;
      inForceEverywhereMs.push(everywhere);
      log(`province: grant change ${round + 1} in force everywhere after ${everywhere} ms`);
      current = (await selectGrant(platformDb, WATCHED_GRANT))!;
    }

    const replicaFigures: ReplicaFigures[] = replicas.map((r, i) => ({
      initialLoadMs: loaded[i]!.loadMs,
      cpuMsPerSecond: cpu[i]!.msPerSecond,
      maxLoopDelayMs: cpu[i]!.maxLoopDelayMs,
      peakRssMiB: peakMemoryMiB(r.child.pid!),
    }));
    return {
      startup,
      restart,
      readmeQuery,
      hotReload,
      platformIdleCpuMsPerSecond,
      replicas: replicaFigures,
      grantChange: {
        inForceEverywhereMs,
        medianMs: median(inForceEverywhereMs),
        maxMs: Math.max(...inForceEverywhereMs),
      },
      memory: { platformPeakRssMiB: peakMemoryMiB(platform.child.pid!) },
    };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
}

/**
 * A synthetic department whose spare dataset is not published yet (each run
 * publishes one, so a province of `dataDir` runs once per synthetic department).
 */
async function unpublishedSpare(
  db: Awaited<ReturnType<typeof preparePlatformData>>,
  catalogue: Catalogue,
  dataDir: string,
): Promise<string> {
  for (const department of catalogue.departments) {
    if (!department.code.startsWith('dept_')) continue;
    const versions = await selectEntryVersions(db, spareDataset(department.code).code);
    if (versions.length === 0) return department.code;
  }
  throw new Error(
    `Every synthetic department of this province has published its spare dataset (one a run): delete ${dataDir} to start afresh, or add departments.`,
  );
}

const fixed = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The suite's markdown table. */
export function provinceReport(result: ProvinceResult): string {
  const seconds = (ms: number) => `${fixed(ms / 1000, 1)} s`;
  const ms = (value: number) => `${fixed(value, value < 10 ? 1 : 0)} ms`;
  const { scale } = result;
  const rows: [string, string][] = [
    [
      'catalogue loaded and validated (files): wall (CPU)',
      `${ms(result.catalogueLoadMs)} (${ms(result.catalogueLoadCpuMs)})`,
    ],
    [
      'subgraphs built (SDL of every department): wall (CPU)',
      `${ms(result.subgraphBuildMs)} (${ms(result.subgraphBuildCpuMs)})`,
    ],
    [
      `supergraph composed (${fixed(result.supergraphSdlKiB)} KiB): wall (CPU)`,
      `${ms(result.compositionMs)} (${ms(result.compositionCpuMs)})`,
    ],
    [
      'start-up: process start → gateway serving: wall (CPU)',
      `${seconds(result.startup.processMs)} (${seconds(result.startup.cpuMs)}; ${seconds(result.startup.wallMs)} from spawn)`,
    ],
    [
      'start-up again, same data (nothing new to compose): wall (CPU)',
      `${seconds(result.restart.processMs)} (${seconds(result.restart.cpuMs)}; ${seconds(result.restart.wallMs)} from spawn)`,
    ],
    [
      `hot reload: ${result.hotReload.dataset} published → served by the gateway`,
      `${seconds(result.hotReload.inForceMs)} (publish mutation ${seconds(result.hotReload.publishMs)})`,
    ],
    [
      "the README's query meanwhile, every 100 ms: median / slowest; failed answers",
      `${ms(result.hotReload.meanwhile.medianMs)} / ${ms(result.hotReload.meanwhile.maxMs)}; ${result.hotReload.meanwhile.failures} of ${result.hotReload.meanwhile.answers}`,
    ],
    [
      `through \`npm run gateway -- --workers 2\` (replaced on the new supergraph): ${result.hotReload.workers.dataset} published → served by every worker`,
      `${seconds(result.hotReload.workers.inForceMs)} (publish mutation ${seconds(result.hotReload.workers.publishMs)})`,
    ],
    [
      "the README's query through the workers meanwhile: median / slowest; failed answers",
      `${ms(result.hotReload.workers.meanwhile.medianMs)} / ${ms(result.hotReload.workers.meanwhile.maxMs)}; ${result.hotReload.workers.meanwhile.failures} of ${result.hotReload.workers.meanwhile.answers}`,
    ],
    [
      'query planning: supergraph built / planner made',
      `${ms(result.planning.supergraphBuildMs)} / ${ms(result.planning.plannerMs)}`,
    ],
    [
      "query planning: README's query, first / warm",
      `${ms(result.planning.firstPlanMs)} / ${ms(result.planning.warmPlanMs)}`,
    ],
    [
      "README's query through the gateway, first (planned) / warm (cached plan); failed answers",
      `${ms(result.readmeQuery.firstMs)} / ${ms(result.readmeQuery.warmMs)}; ${result.readmeQuery.failures} of ${result.readmeQuery.failures + 11}`,
    ],
    ...result.replicas.map((r, i): [string, string] => [
      `replica ${i + 1}: policy reload CPU, idle (max event-loop delay)`,
      `${fixed(r.cpuMsPerSecond)} ms/s = ${fixed(r.cpuMsPerSecond / 10, 1)}% of a core (${ms(r.maxLoopDelayMs)})`,
    ]),
    ['platform process: CPU, idle', `${fixed(result.platformIdleCpuMsPerSecond)} ms/s`],
    [
      'grant change (admin API) in force on every replica and the gateway: median / max',
      `${seconds(result.grantChange.medianMs)} / ${seconds(result.grantChange.maxMs)}`,
    ],
    [
      'replica: first full load of the rules',
      result.replicas.map((r) => ms(r.initialLoadMs)).join(', '),
    ],
    ['memory: platform process, peak RSS', `${fixed(result.memory.platformPeakRssMiB ?? 0)} MiB`],
    [
      'memory: each replica process, peak RSS',
      result.replicas.map((r) => `${fixed(r.peakRssMiB ?? 0)} MiB`).join(', '),
    ],
    [
      'memory: bench process heap after composing and planning',
      `${fixed(result.memory.benchHeapMiB)} MiB`,
    ],
  ];
  return [
    `${scale.departments} departments (${scale.synthetic} synthetic), ${fixed(scale.entries)} catalogue entries (${fixed(scale.conditional)} CONDITIONAL), ${fixed(scale.grants)} grants; ${result.replicas.length} replica processes.`,
    '',
    '| figure | value |',
    '| --- | ---: |',
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
  ].join('\n');
}
