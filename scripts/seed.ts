/**
 * `npm run seed -- [--scale N]`: migrates, then replaces the demo data of every
 * department with N people's worth (default SEED_SCALE, 5000) and re-seeds the
 * demo grants. Deterministic: the same scale always gives the same rows.
 */
import { cliProgram, runCli, wholeNumber } from './cli/index.ts';

const log = (message: string) => console.log(`[seed] ${message}`);

const program = cliProgram({
  name: 'npm run seed --',
  description:
    "Migrates the platform and department databases, then replaces every department's demo data " +
    'with N synthetic people and re-seeds the demo grants. Deterministic: the same scale gives the same rows.',
  examples: ['npm run seed', 'npm run seed -- --scale 100000   # for benchmarks'],
})
  .option(
    '--scale <people>',
    'people in the demo data (default: SEED_SCALE, 5000)',
    wholeNumber(1, 10_000_000),
  )
  .action(async ({ scale }) => {
    const { loadConfig } = await import('../server/index.ts');
    const { loadPlatformCatalogue, prepareDepartmentData, preparePlatformData } =
      await import('./platform/index.ts');
    const defaults = loadConfig();
    const config = { ...defaults, seedScale: scale ?? defaults.seedScale };
    const catalogue = loadPlatformCatalogue({}, config);
    const platform = await preparePlatformData(config, catalogue, 'always', log);
    const departments = await prepareDepartmentData(config, catalogue, 'always', log);
    await Promise.all([platform, ...departments.values()].map((db) => db.destroy()));
  });

await runCli(program);
