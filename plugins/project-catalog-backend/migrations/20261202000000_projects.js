// @ts-check

/**
 * Projects, per-field overlays and the audit log of Project Catalog.
 *
 * Times are epoch milliseconds in bigint columns, as in the DASH tables: range reads compare
 * numbers the same way on SQLite and PostgreSQL. Values are JSON text.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pc_revision', table => {
    table.comment(
      'One row: a counter bumped by every write, so the catalog module can ask "anything new?"',
    );
    table.integer('id').primary();
    table.bigInteger('revision').notNullable();
  });
  await knex('pc_revision').insert({ id: 1, revision: 0 });

  await knex.schema.createTable('pc_entities', table => {
    table.comment(
      'Every entity the UI wrote to: a UI-created project (origin ui) or overlays on a catalog entity (origin catalog)',
    );
    table.string('entity_ref', 255).primary();
    table.string('origin', 16).notNullable();
    table
      .integer('version')
      .notNullable()
      .comment('bumped by every write; a write must carry the version it read');
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_ms').notNullable();
    table.string('updated_by', 255).notNullable();
    table.bigInteger('updated_ms').notNullable();
  });

  await knex.schema.createTable('pc_fields', table => {
    table.comment('One UI-set value per (entity, field)');
    table
      .string('entity_ref', 255)
      .notNullable()
      .references('entity_ref')
      .inTable('pc_entities')
      .onDelete('CASCADE');
    table.string('field', 128).notNullable();
    table.text('value').notNullable().comment('JSON');
    table.string('updated_by', 255).notNullable();
    table.bigInteger('updated_ms').notNullable();
    table.primary(['entity_ref', 'field']);
  });

  await knex.schema.createTable('pc_audit', table => {
    table.comment(
      'Every write and every refused write; append-only through the API',
    );
    table.bigIncrements('id').primary();
    table.bigInteger('time_ms').notNullable();
    table.string('actor', 255).notNullable();
    table.string('action', 64).notNullable();
    table.string('entity_ref', 255).nullable();
    table.string('field', 128).nullable();
    table.text('before').nullable().comment('JSON');
    table.text('after').nullable().comment('JSON');
    table.string('outcome', 16).notNullable();
    table.text('reason').nullable();
    table.string('request_id', 128).nullable();
    table.index(['entity_ref', 'id'], 'pc_audit_entity_idx');
    table.index(['actor', 'id'], 'pc_audit_actor_idx');
    table.index(['time_ms'], 'pc_audit_time_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('pc_audit');
  await knex.schema.dropTable('pc_fields');
  await knex.schema.dropTable('pc_entities');
  await knex.schema.dropTable('pc_revision');
};
