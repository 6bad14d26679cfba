// @ts-check

/**
 * Events and feeds of the DASH backend.
 *
 * Times are epoch milliseconds in bigint columns: range reads compare numbers the same way on
 * SQLite and PostgreSQL, whatever the server's time zone.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dash_events', table => {
    table.comment(
      'Normalized timeline events, one row per (entity, source, event id)',
    );
    table.string('entity_ref', 255).notNullable();
    table.string('source', 64).notNullable();
    table.string('event_id', 512).notNullable();
    table.string('kind', 32).notNullable();
    table.string('severity', 16).notNullable();
    table.text('title').notNullable();
    table.bigInteger('start_ms').notNullable();
    table.bigInteger('end_ms').nullable();
    table.string('status', 64).nullable();
    table.text('url').nullable();
    table.text('actor').nullable().comment('JSON');
    table.text('attributes').notNullable().comment('JSON');
    table.bigInteger('updated_ms').notNullable();
    table.primary(['entity_ref', 'source', 'event_id']);
    table.index(['entity_ref', 'start_ms'], 'dash_events_entity_time_idx');
    table.index(['start_ms'], 'dash_events_time_idx');
  });

  await knex.schema.createTable('dash_feeds', table => {
    table.comment(
      'One feed per (source, entity): freshness, cursor, last error and lease',
    );
    table.string('source', 64).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.text('cursor').nullable();
    table.bigInteger('fetched_ms').nullable().comment('last successful fetch');
    table
      .bigInteger('covered_from_ms')
      .nullable()
      .comment('earliest time fetched');
    table
      .bigInteger('attempted_ms')
      .nullable()
      .comment('last attempt, successful or not');
    table.string('status', 32).notNullable().defaultTo('ok');
    table.text('error').nullable();
    table.bigInteger('retry_after_ms').nullable();
    table.string('lease_owner', 128).nullable();
    table.bigInteger('lease_expires_ms').nullable();
    table.primary(['source', 'entity_ref']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dash_feeds');
  await knex.schema.dropTable('dash_events');
};
