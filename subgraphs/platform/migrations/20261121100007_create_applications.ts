import type { Knex } from 'knex';

/** Sharing applications for CONDITIONAL datasets and their answers. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('applications', (t) => {
    t.string('id', 40).primary();
    t.string('dataset_code', 64).notNullable();
    t.string('provider_department', 64).notNullable();
    t.string('consumer_department', 64).notNullable();
    t.string('consumer_application', 64).nullable();
    t.string('applicant', 128).notNullable();
    t.text('items').notNullable();
    t.string('purpose', 100).notNullable();
    t.text('scenario').notNullable();
    t.text('legal_basis').notNullable();
    t.string('requested_from', 32).notNullable();
    t.string('requested_until', 32).notNullable();
    t.text('modes').notNullable();
    t.string('status', 16).notNullable();
    t.string('deadline', 10).notNullable();
    t.string('submitted_at', 32).notNullable();
    t.string('decided_by', 128).nullable();
    t.string('decided_at', 32).nullable();
    t.text('decision_reason').nullable();
    t.string('grant_id', 40).nullable();
    t.string('updated_at', 32).notNullable();
    t.index(['provider_department', 'status']);
    t.index(['consumer_department', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('applications');
}
