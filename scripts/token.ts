/**
 * `npm run token -- --department civil_affairs [--role APP_DEVELOPER] [--app relief-app]
 *  [--user alice] [--ttl 8h]` prints a development bearer token for the gateway.
 */
import { parseArgs } from 'node:util';
import { loadConfig, mintDevToken, ROLES, type Role } from '../server/index.ts';

const USAGE = `usage: npm run token -- --department CODE [--role ROLE]... [--app APP] [--user USER] [--ttl 8h]
roles: ${ROLES.join(', ')} (default APP_DEVELOPER)`;

try {
  const { values } = parseArgs({
    options: {
      department: { type: 'string', short: 'd' },
      role: { type: 'string', short: 'r', multiple: true },
      app: { type: 'string' },
      user: { type: 'string', short: 'u' },
      ttl: { type: 'string', default: '8h' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.department || !/^[a-z][a-z0-9_]{0,63}$/.test(values.department)) {
    throw new Error(`--department is required: a department code such as civil_affairs\n${USAGE}`);
  }
  const roles = (values.role ?? ['APP_DEVELOPER']).map((r) => r.toUpperCase());
  const unknown = roles.filter((r) => !ROLES.includes(r as Role));
  if (unknown.length > 0) throw new Error(`unknown role ${unknown.join(', ')}\n${USAGE}`);
  const token = await mintDevToken(loadConfig().auth, {
    department: values.department,
    roles: roles as Role[],
    ...(values.app ? { application: values.app } : {}),
    ...(values.user ? { user: values.user } : {}),
    expiresIn: values.ttl,
  });
  console.log(token);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
