import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends every run with one plain line, `Tests: N passed, N failed[, N skipped]`,
 * the closing summary any CI log reader understands. A file that failed with
 * no failed test of its own (an error at import or in a `beforeAll`, which
 * leaves its tests skipped) counts as one failure, so the line never says 0
 * failed for a run that failed. A run that executed no test says so and fails.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      if (module.state() === 'failed' && failedHere === 0) failedHere = 1;
      failed += failedHere;
    }
    if (passed + failed === 0) {
      console.log('\nTests: no test ran');
      process.exitCode = 1;
      return;
    }
    console.log(
      `\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`,
    );
  }
}
