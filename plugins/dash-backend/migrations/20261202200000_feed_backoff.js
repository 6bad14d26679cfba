// @ts-check

/**
 * Per-feed backoff: how many attempts in a row have failed. The time of the next attempt goes
 * in the existing `retry_after_ms` (no upstream call before it), for rate limits and backoff
 * alike.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dash_feeds', table => {
    table
      .integer('failures')
      .notNullable()
      .defaultTo(0)
      .comment('consecutive failed attempts; 0 after a success');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dash_feeds', table => {
    table.dropColumn('failures');
  });
};
