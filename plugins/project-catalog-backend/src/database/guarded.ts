import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';

/** Errors a store throws on purpose (a refusal), which pass through unchanged. */
const REFUSALS = [
  'ConflictError',
  'NotFoundError',
  'InputError',
  'NotAllowedError',
];

/**
 * Runs a store operation: a database failure is the service being unavailable (503), never a 500
 * half-way (each write is one transaction, so nothing is left half-written).
 */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const e = error as Error;
    if (REFUSALS.includes(e.name)) throw error;
    throw new ServiceUnavailableError(
      `The Project Catalog database failed: ${e.message}`,
    );
  }
}

/** A unique or primary key violation, on PostgreSQL and SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    isDatabaseConflictError(error) ||
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed|duplicate key/i.test(e?.message ?? '')
  );
}
