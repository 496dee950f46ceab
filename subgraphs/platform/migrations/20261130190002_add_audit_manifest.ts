import type { Knex } from 'knex';

/**
 * An export's manifest on its ACCESS record (record count, items, masks,
 * filters, checksum; JSON, no values), so the provider reads what left its
 * dataset in the audit trail itself. Null on every other record.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.text('manifest').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.dropColumn('manifest');
  });
}
