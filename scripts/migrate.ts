/** `npm run migrate`: applies every pending migration of the platform and department databases. */
import type { Knex } from 'knex';
import { cliProgram, runCli } from './cli/index.ts';
import { lifecycleLog } from '../server/logging/lifecycleLog.ts';

const log = lifecycleLog('migrate');

const program = cliProgram({
  name: 'npm run migrate --',
  description:
    'Applies every pending migration of the platform database and of each department database ' +
    '(SQLite in DATA_DIR, or MySQL at DATABASE_URL). Seeds nothing; `npm start` and `npm run seed` do.',
  examples: [
    'npm run migrate',
    'DATABASE_URL=mysql://root@127.0.0.1:3306/govdata npm run migrate',
    'npm run migrate -- --platform-only  # the migrations job where departments host their own',
  ],
})
  .option(
    '--platform-only',
    'only the platform database: departments served alone (govdata serve) migrate their own as they start',
  )
  .action(async (options) => {
    const { loadConfig } = await import('../server/index.ts');
    const { loadPlatformCatalogue, prepareDepartmentData, preparePlatformData } =
      await import('./platform/index.ts');
    const config = loadConfig();
    const catalogue = loadPlatformCatalogue({}, config);
    const platform = await preparePlatformData(config, catalogue, 'never', log);
    const departments = options.platformOnly
      ? new Map<string, Knex>()
      : await prepareDepartmentData(config, catalogue, 'never', log);
    await Promise.all([platform, ...departments.values()].map((db) => db.destroy()));
    log('up to date');
  });

await runCli(program);
