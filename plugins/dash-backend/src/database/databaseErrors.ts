/**
 * Telling a database that cannot be reached (down, restarting, overloaded, locked) from any
 * other error, so that routes answer 503 with a plain message instead of a 500 that carries the
 * driver's text (host and port).
 */

import { LoggerService } from '@backstage/backend-plugin-api';
import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { ErrorRequestHandler } from 'express';

/** What a reader is told while the database cannot be reached. */
export const DATABASE_UNAVAILABLE_MESSAGE =
  'The DASH database is not reachable; try again shortly';

/** Socket-level errors of the driver's connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** PostgreSQL SQLSTATEs of a server that is going away or not taking connections. */
const POSTGRES_CODES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
]);

/** SQLite: another connection holds the database. */
const SQLITE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
  'SQLITE_LOCKED_SHAREDCACHE',
]);

/** Messages of errors that come without a code (pg's client, knex's pool). */
const MESSAGES = [
  /Connection terminated/i,
  /Client has encountered a connection error/i,
  /Timeout acquiring a connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /Client was closed and is not queryable/i,
  /Connection ended unexpectedly/i,
];

function isConnectionLevel(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { name?: unknown; code?: unknown; message?: unknown };
  if (err.name === 'KnexTimeoutError') return true;
  if (typeof err.code === 'string') {
    const code = err.code;
    if (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code)) return true;
    if (SQLITE_CODES.has(code)) return true;
    // Class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  return (
    typeof err.message === 'string' &&
    MESSAGES.some(m => m.test(err.message as string))
  );
}

/**
 * Whether the error (or one it wraps, through `cause` or an AggregateError's `errors`) says
 * that the database cannot be reached right now.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  // An upstream that refuses connections is the source's problem, never the database's.
  if (UpstreamError.isUpstreamError(error)) return false;
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length && seen.size < 20) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    if (isConnectionLevel(e)) return true;
    const { cause, errors } = e as { cause?: unknown; errors?: unknown };
    if (cause) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return false;
}

/** How often, per route, an unreachable database is logged in full (the rest are counted). */
const LOG_EVERY_MS = 10_000;

/**
 * Express error middleware: a database that cannot be reached becomes a 503 with a plain
 * message and `Retry-After`, never the driver's text; the real error is logged with the route
 * (at most once per route every 10 s, with a count of the ones in between). Any other error
 * goes on to Backstage's error handler.
 */
export function databaseUnavailableHandler(
  logger: LoggerService,
  clock: () => number = Date.now,
): ErrorRequestHandler {
  const lastLogged = new Map<string, { at: number; suppressed: number }>();
  return (error, req, res, next) => {
    if (!isDatabaseUnavailableError(error) || res.headersSent) {
      next(error);
      return;
    }
    const route = `${req.method} ${req.baseUrl}${req.path}`;
    const now = clock();
    const last = lastLogged.get(route);
    if (!last || now - last.at >= LOG_EVERY_MS) {
      logger.error(
        `The database is not reachable on ${route}${
          last?.suppressed ? ` (${last.suppressed} more since last logged)` : ''
        }: ${error}`,
        error,
      );
      if (lastLogged.size > 100) lastLogged.clear();
      lastLogged.set(route, { at: now, suppressed: 0 });
    } else {
      last.suppressed += 1;
    }
    res.setHeader('Retry-After', '5');
    res.status(503).json({
      error: {
        name: 'ServiceUnavailableError',
        message: DATABASE_UNAVAILABLE_MESSAGE,
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 503 },
    });
  };
}
