import type { Knex } from 'knex';

/**
 * Where attestations begin: the last audit record written before department
 * subgraphs signed their ACCESS records (0 on a new platform). `audit:verify`
 * names every ACCESS record after it that has no valid attestation; the ones
 * before it are reported as unattested, not as problems. One row, written
 * here and never again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_attestation_start', (t) => {
    t.bigInteger('after_record_id').notNullable();
  });
  const last = await knex('audit_records').max({ id: 'id' }).first();
  await knex('audit_attestation_start').insert({ after_record_id: Number(last?.id ?? 0) });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_attestation_start');
}
