import type { ComplianceReport } from './complianceReport.ts';
import { csvCell } from './csvCell.ts';

const COLUMNS = ['measure', 'area', 'judged', 'value', 'threshold', 'verdict', 'evidence'] as const;

/** The report as CSV (RFC 4180), one finding a row; cells that a spreadsheet would run as formulas are quoted with '. */
export function complianceCsv(report: ComplianceReport): string {
  const head = `# compliance report of ${report.department} for [${report.from}, ${report.to}): ${report.verdict}, computed ${report.computedAt}`;
  const rows = report.findings.map((f) => COLUMNS.map((c) => csvCell(f[c])).join(','));
  return [head, COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** The report as a self-contained HTML page (no scripts, no external resources) to save or print to PDF. */
export function complianceHtml(report: ComplianceReport): string {
  const esc = (value: string | number | null) =>
    String(value ?? '—').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = report.findings
    .map(
      (f) =>
        `<tr class="${f.verdict}"><td>${esc(f.measure)}</td><td>${esc(f.area)}</td><td>${esc(f.value === null ? null : round(f.value))}</td>` +
        `<td>${esc(f.judged === 'AT_MOST' ? '≤ ' : '≥ ')}${esc(f.threshold)}</td><td>${esc(f.verdict)}</td><td>${esc(f.evidence)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Compliance report: ${esc(report.department)} ${esc(report.from)} to ${esc(report.to)}</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px;vertical-align:top}.FAIL td{background:#fdd}.PASS td{background:#dfd}</style></head>
<body><h1>Compliance report: ${esc(report.department)}</h1>
<p>Period [${esc(report.from)}, ${esc(report.to)}), computed ${esc(report.computedAt)}. Verdict: <strong>${esc(report.verdict)}</strong>.</p>
<table><thead><tr><th>measure</th><th>area</th><th>value</th><th>threshold</th><th>verdict</th><th>evidence</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
