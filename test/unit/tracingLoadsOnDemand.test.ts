/**
 * The OpenTelemetry SDK and its OTLP exporter (about 16 MB a process) are
 * loaded when a process starts tracing, not by every process that imports the
 * platform's code: most run with tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('tracing', () => {
  it('loads the SDK only when a process starts tracing', () => {
    const printed = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'tracing', 'sdkModulesLoaded.ts')],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    const { before, after } = JSON.parse(printed.trim().split('\n').at(-1)!) as {
      before: number;
      after: number;
    };
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });
});
