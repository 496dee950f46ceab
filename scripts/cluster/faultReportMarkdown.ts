import type { FaultReport } from './faultRun.ts';

const seconds = (ms: number | null) =>
  ms === null ? 'not within the run' : `${(ms / 1000).toFixed(1)} s`;

/** The fault run's figures as the README shows them. */
export function faultReportMarkdown(report: FaultReport): string {
  const withErrors = Object.entries(report.answeredWithErrors)
    .map(([code, n]) => `${n} ${code}`)
    .join(', ');
  const nodes = report.nodes;
  const same = <T>(pick: (n: (typeof nodes)[number]) => T) =>
    nodes.every((n) => pick(n) === pick(nodes[0]!))
      ? String(pick(nodes[0]!))
      : nodes.map(pick).join(' / ');
  const lines = [
    `Fault run of ${report.date} on ${report.machine}, ${report.cores} cores (seed scale ${report.seedScale}, ` +
      `${report.concurrency} clients, ${(report.durationMs / 1000).toFixed(0)} s):`,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| requests sent | ${report.sent} |`,
    `| answered (HTTP 200 with the platform's request id) | ${report.answered}${withErrors ? ` (with an error in part: ${withErrors}; ${report.partialElsewhere} of them neither in flight at a kill nor sent within 3 s after one)` : ''} |`,
    `| failed (no answer, or refused) | ${report.failed}, of which ${report.failedElsewhere} neither in flight at a kill nor sent within 3 s after one |`,
    `| answered requests without their REQUEST record, on each node | ${same((n) => n.answeredWithoutRequestRecord)} |`,
    `| answered requests without the ACCESS record of a subgraph that served them, on each node | ${same((n) => n.answeredWithoutAccessRecord)} |`,
    `| audit chains verifying after the cluster healed, on each node | ${nodes.map((n) => `${n.chains.ok ? n.chains.chains : `${n.chains.chains - n.chains.problems}`} of ${n.chains.chains}`).join(' / ')} (${same((n) => n.chains.records)} records, ${same((n) => n.chains.problems)} problems) |`,
    `| audit batches written again (Galera conflict or lost node), processes alive at the end | ${report.auditRetries} |`,
    ...report.events.map(
      (e) =>
        `| ${e.process} killed at ${seconds(e.killedAt)} | started again 5 s later, serving ${seconds(e.backAt - e.restartedAt)} after that${e.transfer ? ` (rejoined by ${e.transfer})` : ''}; ${e.failedAround} requests failed and ${e.partialAround} were answered with a part in error around it; 20 full answers in a row ${seconds(e.serviceRestoredMs)} after the kill |`,
    ),
    `| cluster healed (3 nodes Synced, every HAProxy server up) | ${seconds(report.healedMs)} after the last restart |`,
  ];
  return `${lines.join('\n')}\n`;
}
