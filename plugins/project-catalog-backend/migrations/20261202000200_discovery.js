// @ts-check

/**
 * Discovery: the review queue of projects the catalog does not have, and the state of the last
 * scan per upstream.
 *
 * Times are epoch milliseconds in bigint columns; links, annotations and evidence are JSON text.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pc_discovery_suggestions', table => {
    table.comment(
      'Projects discovery found; an ignored, adopted or merged suggestion is never reopened by a scan',
    );
    table
      .string('id', 512)
      .primary()
      .comment('<source>:<key>, e.g. github:acme/returns-service');
    table.string('source', 16).notNullable().comment('github | pagerduty');
    table.string('name', 255).notNullable().comment('entity name on adoption');
    table.string('title', 255).nullable();
    table.text('description').nullable();
    table.string('type', 32).nullable().comment('inferred project type');
    table.string('owner', 255).nullable().comment('inferred owner group ref');
    table.string('language', 64).nullable();
    table.text('links').notNullable().comment('JSON: quick links');
    table.text('annotations').notNullable().comment('JSON: annotations');
    table
      .text('evidence')
      .notNullable()
      .comment('JSON: why the type and owner were inferred');
    table
      .string('status', 16)
      .notNullable()
      .comment('open | adopted | ignored | merged');
    table.text('reason').nullable().comment('why it was ignored');
    table.string('decided_by', 255).nullable();
    table.bigInteger('decided_ms').nullable();
    table
      .string('entity_ref', 255)
      .nullable()
      .comment('the entity it was adopted as or merged into');
    table.bigInteger('first_seen_ms').notNullable();
    table.bigInteger('last_seen_ms').notNullable();
    table.index(['status', 'id'], 'pc_discovery_status_idx');
    table.index(['source', 'status', 'id'], 'pc_discovery_source_idx');
  });

  await knex.schema.createTable('pc_discovery_scans', table => {
    table.comment('The last scan of each upstream, and how it ended');
    table.string('upstream', 32).primary().comment('github | pagerduty');
    table
      .string('status', 16)
      .notNullable()
      .comment(
        'ok | rate-limited | unauthorized | timed-out | error | not-configured',
      );
    table.text('message').nullable();
    table.bigInteger('last_run_ms').notNullable();
    table.bigInteger('last_success_ms').nullable();
    table
      .integer('found')
      .nullable()
      .comment('projects the last successful scan found');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('pc_discovery_scans');
  await knex.schema.dropTable('pc_discovery_suggestions');
};
