import type { Knex } from 'knex';

/**
 * Registered land parcels, keyed by the 19-character parcel code; held by a
 * person or an enterprise, each holder column indexed for reverse lookup.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('land_parcels', (table) => {
    table.string('parcel_code', 19).primary();
    table.string('holder_id_number', 18).nullable().index();
    table.string('holder_credit_code', 18).nullable().index();
    table.string('land_use', 32).notNullable();
    table.double('area_sqm').notNullable();
    table.string('right_type', 16).notNullable();
    table.string('region_code', 6).notNullable();
    table.date('registered_on').notNullable();
    // Exactly one holder: a person or an enterprise, never both or neither.
    table.check('(?? is null) <> (?? is null)', ['holder_id_number', 'holder_credit_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('land_parcels');
}
