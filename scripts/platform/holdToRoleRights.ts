import type { Knex } from 'knex';
import {
  databaseName,
  platformRightsBeyond,
  type PlatformConfig,
  type PlatformRole,
} from '../../server/index.ts';
import { openPreparedPlatformDatabase } from './openPreparedPlatformDatabase.ts';

/**
 * The platform database, set up (`openPreparedPlatformDatabase`) and opened
 * with a credential held to `role`'s rights (`holdToRoleRights`), or closed
 * again and the reason thrown. `held`: whether the credential is the role's
 * own (false on SQLite, and under `PLATFORM_DB_RIGHTS=any` with a wider one).
 */
export async function openPlatformDatabaseAs(
  config: PlatformConfig,
  roleIn: (platformDatabase: string) => PlatformRole,
  who: string,
  log: (message: string) => void,
): Promise<{ db: Knex; held: boolean }> {
  const db = await openPreparedPlatformDatabase(config);
  try {
    return { db, held: await holdToRoleRights(config, db, roleIn, who, log) };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * On MySQL, refuses (`PLATFORM_DB_RIGHTS=least`) or names in the log (`any`) a
 * platform database credential that can do more than `role` needs: a host run
 * by its department, or a gateway facing the network, taken over with the
 * platform's own credential could grant itself any department's data or
 * delete the audit trail. `who` names the process in messages. Returns
 * whether the credential is held to the role's rights (false on SQLite, where
 * there are no database users).
 */
export async function holdToRoleRights(
  config: PlatformConfig,
  platformDb: Knex,
  roleIn: (platformDatabase: string) => PlatformRole,
  who: string,
  log: (message: string) => void,
): Promise<boolean> {
  const { database } = config;
  if (database.kind !== 'mysql') return false;
  const platformDatabase = databaseName(database, 'platform');
  const role = roleIn(platformDatabase);
  const beyond = await platformRightsBeyond(platformDb, platformDatabase, role.rights);
  if (beyond.length === 0) return true;
  const problem =
    `DATABASE_URL's user may do more in the platform database than ${role.title} needs ` +
    `(${beyond[0]}); give it the user of ${role.title}, ${role.user} ` +
    '(npm run migrate makes it; its password is in DEPARTMENT_DB_SECRETS_DIR)';
  if (config.platformDbRights === 'least') throw new Error(`${who}: not started: ${problem}.`);
  log(`${who}: warning: ${problem}; PLATFORM_DB_RIGHTS=least refuses to start so.`);
  return false;
}
