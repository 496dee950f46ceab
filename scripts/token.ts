/**
 * `npm run token -- --department civil_affairs [--role APP_DEVELOPER] [--app relief-app]
 *  [--user alice] [--ttl 8h]` prints a development bearer token for the gateway.
 */
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { ROLES, type Role } from '../server/identity/RequestIdentity.ts';
import { cliProgram, CliUsageError, collect, runCli } from './cli/index.ts';

const program = cliProgram({
  name: 'npm run token --',
  description:
    "Prints a development bearer token for the gateway, signed with the platform's development " +
    'secret (JWT_SECRET, or the one kept in DATA_DIR). Refused when the gateway trusts a JWKS: ' +
    'then tokens come from your identity provider.',
  examples: [
    'npm run token -- --department civil_affairs',
    'npm run token -- -d data_office --role ADMIN --user alice --ttl 1h',
  ],
})
  .requiredOption('-d, --department <code>', "the caller's department code, e.g. civil_affairs")
  .option(
    '-r, --role <role>',
    `a role, repeatable: ${ROLES.join(', ')} (default: APP_DEVELOPER)`,
    collect,
  )
  .option('--app <app>', 'the application the token is for')
  .option('-u, --user <user>', 'the user (the token subject)')
  .option('--ttl <span>', 'lifetime, e.g. 30m, 8h, 2d', lifetime, '8h')
  .action(async (options) => {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(options.department)) {
      throw new CliUsageError(
        `--department ${options.department} is not a department code: lower case letters, digits and _, such as civil_affairs`,
      );
    }
    const roles = (options.role ?? ['APP_DEVELOPER']).map((r) => r.toUpperCase());
    const unknown = roles.filter((r) => !ROLES.includes(r as Role));
    if (unknown.length > 0) {
      throw new CliUsageError(`unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
    }
    const { loadConfig } = await import('../server/config/index.ts');
    const { mintDevToken } = await import('../server/identity/index.ts');
    const token = await mintDevToken(loadConfig().auth, {
      department: options.department,
      roles: roles as Role[],
      ...(options.app ? { application: options.app } : {}),
      ...(options.user ? { user: options.user } : {}),
      expiresIn: options.ttl,
    });
    console.log(token);
  });

await runCli(program);

/** A lifetime jose reads: a whole number and a unit (s, m, h, d, w). */
function lifetime(value: string): string {
  if (
    !/^\d+ ?(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/i.test(
      value,
    )
  ) {
    throw new InvalidArgumentError('A lifetime is a whole number and a unit: 30m, 8h, 2d or 1w.');
  }
  return value;
}
