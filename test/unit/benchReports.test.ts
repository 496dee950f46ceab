/**
 * The bench's reports: the gateway suite's (scripts/bench/gatewayBench.ts) for
 * whichever contenders `--contenders` chose — targets are ours' against the
 * others, so a run without ours prints its tables and no targets, instead of
 * failing after minutes of measuring — and the fetch and governance suites'.
 */
import { describe, expect, it } from 'vitest';
import { fetchTokenReport } from '../../scripts/bench/fetchTokenBench.ts';
import { gatewayReport, type ContenderRow } from '../../scripts/bench/gatewayBench.ts';
import { governanceReport } from '../../scripts/bench/governanceBench.ts';

const row = (name: string, requestsPerSecond: number): ContenderRow => ({
  name,
  rounds: 3,
  requestsPerSecond,
  p50: 10,
  p95: 20,
  p99: 30,
  errors: 0,
  peakMemoryMiB: 900,
  sqlPerRequest: 1,
  cpuMsPerRequest: { gateway: 1.25, subgraphs: 0.5 },
});
const lookup = (rows: ContenderRow[]) => ({
  operations: [{ name: 'single lookup', description: 'one person', rows }],
  oneConnection: rows.map((r) => ({ ...r, p50: r.name === 'ours' ? 3 : 2 })),
});

describe('the gateway bench report', () => {
  it('prints the tables and no targets when ours was not among the contenders', () => {
    const report = gatewayReport(lookup([row('plain Apollo Gateway', 700)]));
    expect(report).toContain(
      '| plain Apollo Gateway | 700 | 1.00× | 10 | 20.0 | 30 | 0 | 900 | 1 | 1.250 | 0.500 |',
    );
    expect(report).toContain('**Single lookup at one connection**');
    expect(report).not.toContain('target ≥');
  });

  it("states each of ours' targets with its verdict", () => {
    const report = gatewayReport(
      lookup([row('direct subgraph', 5000), row('plain Apollo Gateway', 700), row('ours', 560)]),
    );
    expect(report).toContain(
      '- single lookup: ours 0.80× plain Apollo Gateway (target ≥ 1.0×: **missed**, short by 20%)',
    );
    expect(report).toContain(
      'ours adds 1.00 ms at p50 over the direct subgraph, plain Apollo 0.00 ms',
    );
    expect(report).toContain('SQL statements per request: single lookup 1');
  });
});

describe('the fetch bench report', () => {
  it("puts the subgraph's CPU per request first, and what governance adds to it", () => {
    const rows = [
      { ...row('governed, token with a MAC', 1844), cpuMsPerRequest: { subgraph: 0.53 } },
      { ...row('ungoverned', 2943), cpuMsPerRequest: { subgraph: 0.334 } },
    ];
    expect(fetchTokenReport(rows).split('\n').slice(2)).toEqual([
      '| governed, token with a MAC | 530 | +196 | 1844 | 10.00 | 20.00 | 30.00 |',
      '| ungoverned | 334 | +0 | 2943 | 10.00 | 20.00 | 30.00 |',
    ]);
  });
});

describe('the governance bench report', () => {
  it('gives each side per request, what governance adds, its quartiles and the part that is the identity', () => {
    const report = governanceReport([
      {
        fetch: 'the single lookup (one person)',
        governedUs: 568,
        identityUs: 406,
        ungovernedUs: 334,
        governanceUs: 236,
        lowerUs: 216,
        upperUs: 261,
        identityOnlyUs: 68,
        blocks: 60,
      },
    ]);
    expect(report.split('\n')[0]).toBe(
      '| fetch | governed µs / request | identity only µs / request | ungoverned µs / request | governance µs / fetch | quartiles of the rounds | of which the identity |',
    );
    expect(report.split('\n')[2]).toBe(
      '| the single lookup (one person) | 568 | 406 | 334 | **236** | 216 – 261 | 68 |',
    );
  });
});
