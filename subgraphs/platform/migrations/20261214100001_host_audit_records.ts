import type { Knex } from 'knex';
import { databaseEngine } from '../../../server/database/databaseEngine.ts';

/**
 * A department's host appends audit records to its own chains only, about its
 * own department's data (MySQL).
 *
 * Its database user may INSERT into `audit_records` (`HOST_RIGHTS`), and
 * rights stop at tables: city_water's host could append a record to a
 * gateway's chain or to public_security's, or record in its own chain an
 * access to public_security's data. Attestation would find it later (a chain
 * that does not hash, a signature that does not verify); this trigger refuses
 * it when it is written. A host's writer is a chain whose role is
 * `<department> subgraph` (made before its first record, see
 * `insertChainIfMissing`), and a record it writes names its own department as
 * the provider, or none. Users not in `platform_host_departments` (the
 * platform's own roles) are not held by it, as with the triggers of
 * 20261211100001_own_host_rows.
 */
const TRIGGER = 'audit_records_host_insert';

export async function up(knex: Knex): Promise<void> {
  if (databaseEngine(knex) !== 'mysql') return;
  await knex.raw(
    `CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON audit_records
     FOR EACH ROW BEGIN
       DECLARE host_department VARCHAR(64);
       SET host_department = (SELECT department FROM platform_host_departments
         WHERE user_name = SUBSTRING_INDEX(USER(), '@', 1));
       IF host_department IS NOT NULL AND (
         NOT EXISTS (SELECT 1 FROM audit_chains c
           WHERE c.writer = NEW.writer AND c.role = CONCAT(host_department, ' subgraph'))
         OR (NEW.provider_department IS NOT NULL AND NEW.provider_department <> host_department)
       ) THEN
         SIGNAL SQLSTATE '45000'
           SET MESSAGE_TEXT = 'a department host writes audit records of its own datasets only';
       END IF;
     END`,
  );
}

export async function down(knex: Knex): Promise<void> {
  if (databaseEngine(knex) !== 'mysql') return;
  await knex.raw(`DROP TRIGGER IF EXISTS ${TRIGGER}`);
}
