/**
 * `npm run apikey -- issue --department CODE --app APP [--role ROLE]... [--label TEXT]`
 * prints a new application API key once; only its hash is stored.
 * `npm run apikey -- revoke ID` revokes one (in force at every gateway within 5 s).
 * `npm run apikey -- list [--department CODE]` lists issued keys: id, department,
 * application, roles, created, revoked — never the secret.
 */
import { parseArgs } from 'node:util';
import {
  issueApiKey,
  listApiKeys,
  loadConfig,
  revokeApiKey,
  ROLES,
  type Role,
} from '../server/index.ts';
import { loadPlatformCatalogue, preparePlatformData } from './platform/index.ts';

const USAGE = `usage: npm run apikey -- issue --department CODE --app APP [--role ROLE]... [--label TEXT]
       npm run apikey -- revoke KEY_ID
       npm run apikey -- list [--department CODE]`;

const config = loadConfig();
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    department: { type: 'string', short: 'd' },
    app: { type: 'string' },
    role: { type: 'string', short: 'r', multiple: true },
    label: { type: 'string' },
  },
});
const [command, id] = positionals;
const db = await preparePlatformData(config, loadPlatformCatalogue({}, config), 'never');
try {
  if (command === 'issue') {
    if (!values.department || !values.app)
      throw new Error(`--department and --app are required\n${USAGE}`);
    const roles = (values.role ?? ['APP_DEVELOPER']).map((r) => r.toUpperCase());
    if (!roles.every((r) => ROLES.includes(r as Role)))
      throw new Error(`roles are ${ROLES.join(', ')}`);
    const issued = await issueApiKey(
      db,
      {
        department: values.department,
        application: values.app,
        user: null,
        roles: roles as Role[],
      },
      values.label ?? `${values.department}/${values.app}`,
    );
    console.log(
      `API key ${issued.id} for ${values.department}/${values.app} (shown once, store it now):`,
    );
    console.log(issued.key);
  } else if (command === 'list') {
    const keys = await listApiKeys(db, values.department);
    console.log(['id', 'department', 'application', 'roles', 'created', 'revoked'].join('\t'));
    for (const key of keys) {
      console.log(
        [
          key.id,
          key.department,
          key.application ?? '-',
          key.roles.join(','),
          key.createdAt,
          key.revokedAt ?? '-',
        ].join('\t'),
      );
    }
  } else if (command === 'revoke' && id) {
    console.log((await revokeApiKey(db, id)) ? `revoked ${id}` : `no active key ${id}`);
  } else {
    throw new Error(USAGE);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
