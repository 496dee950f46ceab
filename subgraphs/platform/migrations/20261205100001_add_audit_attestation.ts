import type { Knex } from 'knex';

/**
 * A department's signature over an ACCESS record it produced (see
 * `attestAccess`: `v1.<nonce>.<signature>`, at most 154 characters), so that
 * neither the gateway that commits handed-back records nor anyone with write
 * access to this table can forge or alter one unseen. Null on REQUEST records
 * and on records written before attestations existed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.string('attestation', 160).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.dropColumn('attestation');
  });
}
