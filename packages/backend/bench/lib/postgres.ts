/* The bench databases on the local PostgreSQL (trust auth), created by the backends through a prefix. */
import { Client } from 'pg';

export const PG = 'postgresql://postgres@127.0.0.1:5432';

/**
 * Drops every database whose name starts with one of the prefixes; answers the server's version
 * (`15.8`).
 */
export async function dropDatabases(prefixes: string[]): Promise<string> {
  const client = new Client({ connectionString: `${PG}/postgres` });
  await client.connect();
  try {
    for (const prefix of prefixes) {
      // `_` is a LIKE wildcard: escape it, so that only this prefix matches.
      const { rows } = await client.query(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${prefix.replace(/_/g, '\\_')}%`],
      );
      for (const row of rows)
        await client.query(
          `DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`,
        );
    }
    const version = await client.query('SHOW server_version');
    return String(version.rows[0].server_version).split(' ')[0];
  } finally {
    await client.end();
  }
}
