import { readJsonCursor } from '@dash-suite/plugin-dash-node';
import { z } from 'zod';

/*
 * What the GitHub source remembers between refreshes of one entity, saved by DASH as the feed's
 * cursor: ETags of the first page of each list (a matching `If-None-Match` is answered 304 and
 * costs no rate limit), the repository's default branch, and the last known state of recent
 * deployments (so that unchanged deployments cost no status lookup), and what recent
 * deployments shipped (a compare of two shas never changes, so it is asked for once).
 */

const listSchema = z.object({
  /** The request the ETag belongs to (path and query without the page). */
  sig: z.string(),
  etag: z.string(),
  /** Epoch ms: how far back that answer reached; a wider window needs a full read. */
  from: z.number(),
  /** Epoch ms sent as the list's time filter (`since`, `created`), reused while it is recent. */
  since: z.number().optional(),
});

const deploymentSchema = z.object({
  /** The deployment's `updated_at` when its statuses were read. */
  u: z.string(),
  state: z.string(),
  at: z.string().optional(),
  succeeded: z.boolean().optional(),
  logUrl: z.string().optional(),
  environmentUrl: z.string().optional(),
  statusDescription: z.string().optional(),
});

/**
 * What one deployment shipped, from the compare with `base` (the sha deployed before it), with
 * titles already cut to length (pull request links are rebuilt from the number); or, without
 * `commits`, how many times GitHub could not compare the pair (`misses`).
 */
const shippedMemoSchema = z.object({
  base: z.string(),
  pullRequests: z
    .array(z.object({ number: z.number().int(), title: z.string() }))
    .optional(),
  commits: z.array(z.object({ sha: z.string(), title: z.string() })).optional(),
  truncated: z.literal(true).optional(),
  misses: z.number().int().optional(),
});

const cursorSchema = z.object({
  v: z.literal(1),
  /** `host/owner/repo` the cursor was made for; another target starts afresh. */
  target: z.string(),
  repo: z.object({ etag: z.string(), defaultBranch: z.string() }).optional(),
  lists: z.record(z.string(), listSchema).default({}),
  deployments: z.record(z.string(), deploymentSchema).default({}),
  /** By deployment id, for the newest deployments in view only. */
  shipped: z.record(z.string(), shippedMemoSchema).default({}),
  /** Some deployment in view still waits for its compare: read the deployments again. */
  shippedDue: z.boolean().optional(),
});

export type GithubCursor = z.infer<typeof cursorSchema>;
export type ListMemo = z.infer<typeof listSchema>;
export type DeploymentMemo = z.infer<typeof deploymentSchema>;
export type ShippedMemo = z.infer<typeof shippedMemoSchema>;

/** Reads a stored cursor; anything unreadable, or made for another repository, starts afresh. */
export function parseCursor(
  raw: string | undefined,
  target: string,
): GithubCursor {
  const stored = readJsonCursor(raw, cursorSchema);
  return stored?.target === target
    ? stored
    : { v: 1, target, lists: {}, deployments: {}, shipped: {} };
}

export function serializeCursor(cursor: GithubCursor): string {
  return JSON.stringify(cursor);
}
