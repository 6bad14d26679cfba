import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@dash-suite/plugin-project-catalog-backend',
  'migrations',
);

/**
 * Runs the plugin's migrations unless the database service says they are managed elsewhere.
 *
 * Two replicas starting at once can race to create knex's own bookkeeping tables (knex locks
 * the migrations, but not the creation of its lock table); the loser tries again once the
 * winner is done, and then finds nothing left to do.
 */
export async function migrate(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (database.migrations?.skip) return client;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return client;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise(resolve =>
        setTimeout(resolve, 200 * attempt + Math.random() * 200),
      );
    }
  }
}

/** For tests: apply every migration to a fresh client. */
export async function migrateClient(client: Knex): Promise<void> {
  await client.migrate.latest({ directory: migrationsDir });
}

/** For tests: undo every migration. */
export async function rollbackClient(client: Knex): Promise<void> {
  await client.migrate.rollback({ directory: migrationsDir }, true);
}
