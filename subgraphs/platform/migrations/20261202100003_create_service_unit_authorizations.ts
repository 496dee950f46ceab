import type { Knex } from 'knex';

/**
 * Technical service units (技术服务单位): an organisation a department
 * authorizes, for a period and a set of duties, to act for it under the
 * unit's own identity. Revocation keeps the row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('service_unit_authorizations', (t) => {
    t.string('id', 40).primary();
    t.string('unit', 64).notNullable();
    t.string('department', 64).notNullable();
    t.text('duties').notNullable();
    t.string('valid_from', 32).notNullable();
    t.string('valid_until', 32).notNullable();
    t.string('status', 16).notNullable();
    t.string('granted_by', 200).notNullable();
    t.string('granted_at', 32).notNullable();
    t.string('revoked_by', 200).nullable();
    t.string('revoked_at', 32).nullable();
    t.text('revoke_reason').nullable();
    t.index(['unit', 'department', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service_unit_authorizations');
}
