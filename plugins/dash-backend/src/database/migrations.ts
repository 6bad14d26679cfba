import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@dash-suite/plugin-dash-backend',
  'migrations',
);

/** Runs the plugin's migrations unless the database service says they are managed elsewhere. */
export async function migrate(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

/** For tests: apply every migration to a fresh client. */
export async function migrateClient(client: Knex): Promise<void> {
  await client.migrate.latest({ directory: migrationsDir });
}

/** For tests: undo every migration. */
export async function rollbackClient(client: Knex): Promise<void> {
  await client.migrate.rollback({ directory: migrationsDir }, true);
}
