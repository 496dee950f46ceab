import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/index.ts';
import { alternatingRounds } from './alternate.ts';
import { runAuditBench } from './auditBench.ts';
import { runAuditWriterBench } from './auditWriterBench.ts';
import { openBenchData } from './benchData.ts';
import { dataScaleReport, runDataScaleBench } from './dataScaleBench.ts';
import { exportReport, runExportBench } from './exportBench.ts';
import { fetchTokenReport, runFetchTokenBench } from './fetchTokenBench.ts';
import { gatewayReport, runGatewayBench } from './gatewayBench.ts';
import { governanceReport, runGovernanceBench } from './governanceBench.ts';
import { observabilityReport, runObservabilityBench } from './observabilityBench.ts';
import { qualityReport, runQualityBench } from './qualityBench.ts';
import { provinceReport, runProvinceBench } from './province/provinceBench.ts';
import { runRulesBench } from './rulesBench.ts';
import { runStressBench, stressReport } from './stressBench.ts';
import { machine, markdownTable, type Summary } from './summarize.ts';

/**
 * What `npm run bench` runs (scripts/bench.ts states the options): each chosen
 * suite on its own data folder, its figures printed and written to bench/results/.
 */
const log = (message: string) => console.log(`[bench] ${message}`);

export interface BenchOptions {
  suite: readonly string[];
  scale: number;
  rounds: number;
  seconds: number;
  connections: number;
  workers: number;
  operations: readonly string[];
  contenders?: string;
  profile?: string;
  departments: number;
  entries: number;
  grants: number;
  replicas: number;
  scales: readonly number[];
  /** Governance suite: rounds of three blocks of 100 requests per fetch. */
  blocks: number;
  /** Where the tables and figures are written (bench/results/ unless chosen). */
  results: string;
}

export async function runBenchmarks(options: BenchOptions): Promise<void> {
  const { scale, rounds, seconds, connections, workers } = options;
  const suites = new Set(options.suite);
  // Each scale's data folder sits beside the platform's own (SQLite), or under data/.
  const base = loadConfig();
  const dataRoot = base.database.kind === 'sqlite' ? base.database.dir : 'data';
  if (suites.delete('province')) await runProvince(options, dataRoot);
  if (suites.delete('datascale')) await runDataScale(options, dataRoot);
  if (suites.size === 0) return;
  const data = await openBenchData(dataRoot, scale, log);
  const { dataDir, config, catalogue, keys, platformDb, departments } = data;
  /** What the suites serving public_security in this process (governance, rules) need. */
  const publicSecurity = {
    config,
    catalogue,
    platformDb,
    departmentDb: departments.get('public_security')!,
    keys,
    joinKey: data.joinKey,
    log,
  };

  const host = machine();
  const date = new Date().toISOString().slice(0, 10);
  const setting = `${alternatingRounds(rounds, seconds)}, ${connections} connections, ${scale} people seeded (SQLite). Medians over rounds. Machine: ${host.cpu}, ${host.cores} cores, Node ${host.node}.`;

  /** Prints an on/off suite's table and writes it, with its figures and the machine, to bench/results/. */
  function report(
    name: string,
    title: string,
    what: string,
    rows: Summary[],
    target: string,
  ): void {
    const [on, off] = rows as [Summary, Summary];
    const ratio = on.requestsPerSecond / off.requestsPerSecond;
    const text = [
      `### ${title} (${date})`,
      '',
      `${what}; ${setting}`,
      '',
      markdownTable(rows, off.name),
      '',
      `${on.name} / ${off.name}: **${ratio.toFixed(2)}×** (target ${target}).`,
    ].join('\n');
    writeRows(name, text, rows);
  }

  /** Writes a suite's text and rows, with the run's settings and the machine, to the results folder. */
  function writeRows(name: string, text: string, rows: readonly Summary[]): void {
    writeResult(options.results, `${date}-${name}`, text, {
      date,
      machine: host,
      scale,
      rounds,
      seconds,
      connections,
      results: rows,
    });
  }

  try {
    if (suites.has('gateways')) {
      log(`gateways side by side: ${workers} worker process(es) each`);
      const result = await runGatewayBench({
        config,
        catalogue,
        platformDb,
        rounds,
        seconds,
        connections,
        workers,
        only: options.operations,
        profileDir: options.profile,
        contenders: options.contenders?.split(','),
        scale,
        log,
      });
      const text = [
        `### Gateways side by side (${date})`,
        '',
        `Every gateway runs ${workers} worker process(es) over the same department subgraphs (their own ${workers} process(es)); ours with identity, sharing rules and the audit trail on, the others with none, over the same subgraphs without rules. ${setting}`,
        '',
        gatewayReport(result),
      ].join('\n');
      writeResult(options.results, `${date}-gateways`, text, {
        date,
        machine: host,
        scale,
        rounds,
        seconds,
        connections,
        workers,
        ...result,
      });
    }
    if (suites.has('fetch')) {
      log(
        'fetch tokens: public_security answering the lookup fetch, token with a MAC, signed, none',
      );
      const rows = await runFetchTokenBench({
        config,
        platformDb,
        departments: catalogue.departments.map((d) => d.code),
        keys,
        rounds,
        seconds,
        connections,
        log,
        profileDir: options.profile,
      });
      const text = [
        `### A department subgraph's fetch, by context token (${date})`,
        '',
        `One department subgraph (public_security, one worker process) answering the fetch our gateway sends for the single lookup, each with a fresh context token made as the gateway makes it: governed with the token under the MAC key the gateway shares with the department (the answer sealed for the gateway and its records handed back), governed with the token signed (Ed25519: no key to seal under, so the subgraph commits its records before answering), and ungoverned (no token, rules or audit); loaded straight from the bench process, which makes the tokens; ${setting}`,
        '',
        fetchTokenReport(rows),
      ].join('\n');
      writeRows('fetch', text, rows);
    }
    if (suites.has('governance')) {
      const rows = await runGovernanceBench({
        ...publicSecurity,
        blocks: options.blocks,
        blockSize: 100,
        warmUp: 50 * options.blocks,
      });
      const text = [
        `### What governance costs a department subgraph per fetch (${date})`,
        '',
        `public_security, governed (context token under the gateway's MAC, sharing rules, the ACCESS record signed and handed back), with the token verified but no rules or audit (identity only), and without identity, rules or audit, all in the bench process, sent the same fetches with the same fresh tokens one at a time in ${options.blocks} rounds of three blocks of 100, their order turning, after ${50 * options.blocks} of each; CPU µs per request of the whole process (client and subgraph: the client's share cancels in the difference), medians over blocks, ${scale} people seeded (SQLite). Machine: ${host.cpu}, ${host.cores} cores, Node ${host.node}.`,
        '',
        governanceReport(rows),
      ].join('\n');
      writeResult(options.results, `${date}-governance`, text, {
        date,
        machine: host,
        scale,
        blocks: options.blocks,
        results: rows,
      });
    }
    if (suites.has('rules')) {
      log('rules on/off: public_security answering _entities for 100 people');
      const rows = await runRulesBench({
        ...publicSecurity,
        rounds,
        seconds,
        connections,
      });
      report(
        'rules',
        'Sharing rules on and off',
        "One department subgraph (public_security) answering the gateway's `_entities` fetch for 100 people, as a grantee with a masked item",
        rows,
        '≥ 0.85×',
      );
    }
    if (suites.has('audit')) {
      log(
        'audit on/off: the whole platform through the gateway, one person across four departments',
      );
      const rows = await runAuditBench({ config, rounds, seconds, connections, log });
      report(
        'audit',
        'Audit trail on and off',
        "The gateway answering the README's query (a person with licences, credit records, land parcels and water accounts: five datasets of four departments) for Civil Affairs, identity and rules on, every response waiting for its audit records to be committed (audit on) or recording nothing (audit off)",
        rows,
        '≥ 0.9×',
      );
      log("the audit writer alone: SQLite's checkpoints on a thread and inside the commits");
      const writer = await runAuditWriterBench({ rounds, seconds, log });
      writeResult(
        options.results,
        `${date}-audit-writer`,
        [
          `### The audit writer alone: where SQLite's checkpoints run (${date})`,
          '',
          `An audit writer committing a lookup's two records (REQUEST and ACCESS) per request, each request waiting for its commit, on a SQLite platform database of its own per contender: its write-ahead log checkpointed on a thread of its own (the platform's audit writers) or by SQLite inside the commit that fills it (the default). Latencies are of each request's commit wait. ${rounds} alternating rounds of ${seconds} s. Medians over rounds. Machine: ${host.cpu}, ${host.cores} cores, Node ${host.node}.`,
          '',
          ...writer.flatMap((table) => [markdownTable(table.rows, table.baseline), '']),
        ].join('\n'),
        { date, machine: host, rounds, seconds, results: writer },
      );
    }
    if (suites.has('observability')) {
      log('observability on/off: our gateway with logs, metrics and 10% of traces, and without');
      const result = await runObservabilityBench({
        config,
        catalogue,
        platformDb,
        rounds,
        seconds,
        connections,
        workers,
        profileDir: options.profile,
        scale,
        operations: options.operations,
        log,
      });
      const text = [
        `### Observability on and off (${date})`,
        '',
        `Our gateway (${workers} worker process(es), identity, rules and audit on) over the same governed subgraphs, with observability on (a JSON log line per request at LOG_LEVEL=info, Prometheus metrics, traces sampled at 10% exported over OTLP/HTTP to a local receiver) and off (METRICS=off, LOG_LEVEL=warn, no trace SDK). ${setting}`,
        '',
        observabilityReport(result),
      ].join('\n');
      writeResult(options.results, `${date}-observability`, text, {
        date,
        machine: host,
        scale,
        rounds,
        seconds,
        connections,
        workers,
        ...result,
      });
    }
    if (suites.has('stress')) {
      // The figure: 32 connections of the costliest operation the limits allow.
      const heavyConnections = 32;
      log('stress: a light lookup alone and beside the costliest operations the limits allow');
      const result = await runStressBench({ config, seconds, connections: heavyConnections, log });
      const text = [
        `### A light lookup under the costliest allowed load (${date})`,
        '',
        `${scale} people seeded (SQLite), the whole platform in one process (\`npm start\`'s shape), ${seconds} s per phase. Machine: ${host.cpu}, ${host.cores} cores, Node ${host.node}.`,
        '',
        stressReport(result, heavyConnections),
      ].join('\n');
      writeResult(options.results, `${date}-stress`, text, {
        date,
        machine: host,
        scale,
        seconds,
        ...result,
      });
    }
    if (suites.has('quality')) {
      log('quality: govdata quality run over the seeded population, one process per round');
      const rows = await runQualityBench({
        dataDir,
        rounds,
        log,
      });
      const text = [
        `### Quality inspection of the population (${date})`,
        '',
        `\`govdata quality run --dataset PS-POP-001\` over ${scale} people seeded (SQLite), every rule of every item (check characters, patterns, values, uniqueness) in batches of 5,000 rows, one process per round, ${rounds} rounds. Machine: ${host.cpu}, ${host.cores} cores, Node ${host.node}.`,
        '',
        qualityReport(rows),
      ].join('\n');
      writeResult(options.results, `${date}-quality`, text, {
        date,
        machine: host,
        scale,
        rounds: rows,
      });
    }
    if (suites.has('export')) {
      log('export: the seeded population through the gateway into a file, one district and whole');
      const rows = await runExportBench({ config, rounds, log });
      const text = [
        `### Bulk export of the population (${date})`,
        '',
        `An export of PS-POP-001 through the gateway into an NDJSON file, with the consumer's client (\`govdata export\`), under a grant with EXPORT that masks names: one district's people (a row filter), then all ${scale}, ${rounds} round(s). Platform and client in one process (SQLite): the memory is the exporting subgraph's with the gateway's and the client's, sampled every 50 ms. Machine: ${host.cpu}, ${host.cores} cores, Node ${host.node}.`,
        '',
        exportReport(rows),
      ].join('\n');
      writeResult(options.results, `${date}-export`, text, {
        date,
        machine: host,
        scale,
        rounds: rows,
      });
    }
  } finally {
    await data.close();
  }
}

/** The lookup at each population (each its own data folder): prints and writes its table. */
async function runDataScale(options: BenchOptions, dataRoot: string): Promise<void> {
  const { rounds, seconds, connections, workers, scales } = options;
  log(`data scale: the single lookup at ${scales.join(', ')} people`);
  const rows = await runDataScaleBench({
    dataRoot,
    scales,
    rounds,
    seconds,
    connections,
    workers,
    log,
  });
  const host = machine();
  const date = new Date().toISOString().slice(0, 10);
  const load = loadavg().map((l) => l.toFixed(1));
  const text = [
    `### The lookup as the population grows (${date})`,
    '',
    `\`npm run bench -- --suite datascale --scales ${scales.join(',')} --rounds ${rounds}\`: one person by ID number through our gateway (${workers} worker process(es); identity, rules, audit, logs and metrics on) and straight to the public_security subgraph (no rules), over the demo data seeded at each scale (SQLite). ${alternatingRounds(rounds, seconds)}, ${connections} connections, then the same at one connection. Medians over rounds. Machine: ${host.cpu}, ${host.cores} cores, Node ${host.node}; load average at the end ${load.join(', ')}.`,
    '',
    dataScaleReport(rows),
  ].join('\n');
  writeResult(options.results, `${date}-datascale`, text, {
    date,
    machine: host,
    rounds,
    seconds,
    connections,
    workers,
    rows,
  });
}

/** The synthetic province (its own data folder, none of the demo's): prints and writes its table. */
async function runProvince(options: BenchOptions, dataRoot: string): Promise<void> {
  const scale = {
    departments: options.departments,
    entries: options.entries,
    grants: options.grants,
  };
  log(
    `province: ${scale.departments} departments, ${scale.entries} entries, ${scale.grants} grants, ${options.replicas} replicas`,
  );
  const result = await runProvinceBench({
    dataRoot,
    scale,
    replicas: options.replicas,
    rounds: options.rounds,
    seconds: options.seconds,
    profileDir: options.profile,
    log,
  });
  const host = machine();
  const date = new Date().toISOString().slice(0, 10);
  const load = loadavg().map((l) => l.toFixed(1));
  const text = [
    `### A synthetic province (${date})`,
    '',
    `\`npm run bench -- --suite province --departments ${scale.departments} --entries ${scale.entries} --grants ${scale.grants} --replicas ${options.replicas} --rounds ${options.rounds} --seconds ${options.seconds}\` (SQLite). Machine: ${host.cpu}, ${host.cores} cores, Node ${host.node}; load average at the end ${load.join(', ')}.`,
    '',
    provinceReport(result),
  ].join('\n');
  writeResult(
    options.results,
    `${date}-province-${scale.departments}-${scale.entries}-${scale.grants}`,
    text,
    {
      date,
      machine: host,
      loadAverage: loadavg(),
      ...result,
    },
  );
}

/**
 * Prints a suite's text and writes it, with its figures and the machine, to
 * `<resultsDir>/<name>`.md and .json.
 */
function writeResult(resultsDir: string, name: string, text: string, figures: object): void {
  console.log(`\n${text}\n`);
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, name);
  writeFileSync(`${file}.json`, JSON.stringify(figures, null, 2));
  writeFileSync(`${file}.md`, `${text}\n`);
  log(`wrote ${file}.json and .md`);
}
