// @ts-check

/**
 * Migration campaigns: their definitions, the status of each entity in scope, daily history for
 * the burn-up (whole campaign and per owner team) and the notifications already sent.
 *
 * Times are epoch milliseconds in bigint columns, as in the other tables. Scope, check settings
 * and check cursors are JSON text. No foreign keys: a campaign's rows are deleted together in
 * one transaction (SQLite enforces foreign keys only when asked).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pc_campaigns', table => {
    table.comment(
      'Migration campaigns, created in the UI (origin ui) or in app-config (origin config)',
    );
    table.string('id', 63).primary();
    table.string('title', 200).notNullable();
    table.text('description').nullable();
    table.string('owner', 255).notNullable();
    table.bigInteger('starts_ms').notNullable();
    table.bigInteger('deadline_ms').notNullable();
    table.text('scope').notNullable().comment('JSON CampaignScope');
    table.string('check_type', 63).notNullable();
    table.text('check_config').notNullable().comment('JSON');
    table.string('origin', 16).notNullable();
    table
      .integer('version')
      .notNullable()
      .comment(
        'bumped by every change; a change must carry the version it read',
      );
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_ms').notNullable();
    table.string('updated_by', 255).notNullable();
    table.bigInteger('updated_ms').notNullable();
    table.bigInteger('evaluated_ms').nullable();
    table.text('evaluation_error').nullable();
  });

  await knex.schema.createTable('pc_campaign_status', table => {
    table.comment('Where each entity in scope stands in a campaign');
    table.string('campaign_id', 63).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('owner', 255).nullable();
    table.string('status', 16).notNullable();
    table.text('detail').nullable();
    table
      .string('check_status', 16)
      .nullable()
      .comment(
        "the check's own answer (or error), before exemption and manual notes",
      );
    table.text('check_detail').nullable();
    table.text('cursor').nullable().comment("the check's cursor (ETags)");
    table.string('degraded_reason', 16).nullable();
    table.text('degraded_message').nullable();
    table.bigInteger('degraded_since_ms').nullable();
    table.string('manual_status', 16).nullable();
    table.text('manual_note').nullable();
    table.string('manual_by', 255).nullable();
    table.bigInteger('manual_ms').nullable();
    table.text('exempt_reason').nullable();
    table.string('exempt_by', 255).nullable();
    table.bigInteger('exempt_ms').nullable();
    table.bigInteger('evaluated_ms').nullable();
    table.bigInteger('changed_ms').notNullable();
    table.bigInteger('done_since_ms').nullable();
    table.primary(['campaign_id', 'entity_ref']);
    table.index(['entity_ref'], 'pc_campaign_status_entity_idx');
    table.index(['campaign_id', 'status'], 'pc_campaign_status_status_idx');
  });

  await knex.schema.createTable('pc_campaign_history', table => {
    table.comment(
      'Counts per status per UTC day, for the whole campaign (team "") and per owner team',
    );
    table.string('campaign_id', 63).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
    table.string('team', 255).notNullable();
    for (const column of [
      'pending',
      'in_progress',
      'done',
      'exempt',
      'failing',
      'error',
      'total',
    ]) {
      table.integer(column).notNullable();
    }
    table.primary(['campaign_id', 'day', 'team']);
  });

  await knex.schema.createTable('pc_campaign_notifications', table => {
    table.comment('Notifications sent to owners, so that each is sent once');
    table.string('campaign_id', 63).notNullable();
    table.string('entity_ref', 255).notNullable();
    table
      .string('kind', 16)
      .notNullable()
      .comment('started, deadline, regressed');
    table
      .string('key', 32)
      .notNullable()
      .comment(
        'what makes it new: the deadline, or when the entity became done',
      );
    table.bigInteger('sent_ms').notNullable();
    table.primary(['campaign_id', 'entity_ref', 'kind', 'key']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('pc_campaign_notifications');
  await knex.schema.dropTable('pc_campaign_history');
  await knex.schema.dropTable('pc_campaign_status');
  await knex.schema.dropTable('pc_campaigns');
};
