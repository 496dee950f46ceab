/**
 * `npm run apikey -- issue --department CODE --app APP [--role ROLE]... [--label TEXT] [--valid-days N]`
 * prints a new application API key once; only its hash is stored.
 * `npm run apikey -- revoke ID` revokes one (in force at every gateway within 5 s).
 * `npm run apikey -- list [--department CODE]` lists issued keys: id, department,
 * application, roles, created, revoked — never the secret.
 */
import type { Knex } from 'knex';
import { ROLES, type Role } from '../server/identity/RequestIdentity.ts';
import {
  cliProgram,
  cliSubcommand,
  CliUsageError,
  collect,
  runCli,
  wholeNumber,
} from './cli/index.ts';

const program = cliProgram({
  name: 'npm run apikey --',
  description:
    "Issues, lists and revokes applications' API keys (sent as `X-Api-Key`), in the platform " +
    'database that `npm start` or `npm run migrate` has prepared.',
  examples: [
    'npm run apikey -- issue --department civil_affairs --app relief-app',
    'npm run apikey -- list --department civil_affairs',
    'npm run apikey -- revoke KEY_ID',
  ],
});
cliSubcommand(program, {
  name: 'issue',
  description: 'Prints a new API key once (store it then: only its hash is kept).',
  examples: [
    'npm run apikey -- issue --department civil_affairs --app relief-app',
    'npm run apikey -- issue -d civil_affairs --app relief-app --role APP_DEVELOPER --label "relief desk"',
  ],
})
  .requiredOption('-d, --department <code>', "the application's department, e.g. civil_affairs")
  .requiredOption('--app <app>', 'the application, e.g. relief-app')
  .option(
    '-r, --role <role>',
    "a role, repeatable: APP_DEVELOPER, or DEPT_IT for a department automation (default: APP_DEVELOPER; never REVIEWER or ADMIN, which are people's)",
    collect,
  )
  .option('--label <text>', 'a note shown by `list` (default: department/app)')
  .option(
    '--valid-days <days>',
    'days the key is valid, 1 to 365 (default: 90); issue its successor before it expires',
    wholeNumber(1, 365),
  )
  .action(async (options) => {
    const roles = (options.role ?? ['APP_DEVELOPER']).map((r) => r.toUpperCase());
    const unknown = roles.filter((r) => !ROLES.includes(r as Role));
    if (unknown.length > 0) {
      throw new CliUsageError(`unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
    }
    const { issueApiKey, keyRoleProblem } = await import('../server/index.ts');
    const roleProblem = keyRoleProblem(roles as Role[]);
    if (roleProblem) throw new CliUsageError(roleProblem);
    await withPlatformDb(async (db) => {
      const issued = await issueApiKey(
        db,
        {
          department: options.department,
          application: options.app,
          user: null,
          roles: roles as Role[],
        },
        options.label ?? `${options.department}/${options.app}`,
        'cli',
        options.validDays,
      );
      console.log(
        `API key ${issued.id} for ${options.department}/${options.app}, valid until ${issued.expiresAt} (shown once, store it now):`,
      );
      console.log(issued.key);
    });
  });
cliSubcommand(program, {
  name: 'list',
  description:
    'Lists issued keys: id, department, application, roles, created, revoked — never the secret.',
  examples: ['npm run apikey -- list', 'npm run apikey -- list --department civil_affairs'],
})
  .option('-d, --department <code>', "only this department's keys")
  .action(async (options) => {
    const { listApiKeys } = await import('../server/index.ts');
    await withPlatformDb(async (db) => {
      const keys = await listApiKeys(db, { department: options.department });
      console.log(
        ['id', 'department', 'application', 'roles', 'created', 'expires', 'revoked'].join('\t'),
      );
      for (const key of keys) {
        console.log(
          [
            key.id,
            key.department,
            key.application ?? '-',
            key.roles.join(','),
            key.createdAt,
            key.expiresAt ?? '-',
            key.revokedAt ?? '-',
          ].join('\t'),
        );
      }
    });
  });
cliSubcommand(program, {
  name: 'revoke',
  description:
    'Revokes a key by its id (from `issue` or `list`); every gateway refuses it within seconds.',
  examples: ['npm run apikey -- revoke KEY_ID'],
})
  .argument('<id>', 'the key id')
  .action(async (id) => {
    const { revokeApiKey } = await import('../server/index.ts');
    await withPlatformDb(async (db) => {
      if (!(await revokeApiKey(db, id, 'cli'))) {
        // Exit 1, so that a script revoking a key learns it did not happen.
        throw new Error(
          `No active key ${id}: it is unknown or already revoked (npm run apikey -- list shows the keys).`,
        );
      }
      console.log(`revoked ${id}`);
    });
  });

await runCli(program);

async function withPlatformDb(work: (db: Knex) => Promise<void>): Promise<void> {
  const { loadConfig } = await import('../server/config/index.ts');
  const { loadPlatformCatalogue } = await import('./platform/loadPlatformCatalogue.ts');
  const { preparePlatformData } = await import('./platform/preparePlatformData.ts');
  const config = loadConfig();
  const db = await preparePlatformData(config, loadPlatformCatalogue({}, config), 'never');
  try {
    await work(db);
  } finally {
    await db.destroy();
  }
}
