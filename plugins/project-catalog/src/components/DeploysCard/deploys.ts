import type { DashEvent } from '@dash-suite/plugin-dash-common';
import { textAttribute } from '../cardStates';

/** How many deploys per environment the card shows: the latest and the few before it. */
export const DEPLOYS_PER_ENVIRONMENT = 4;

export interface EnvironmentDeploys {
  environment: string;
  /** Newest first; the full list, so the oldest shown still has a predecessor to compare. */
  deploys: DashEvent[];
}

/** The name a deploy's environment is shown under. */
export function environmentOf(e: DashEvent): string {
  return textAttribute(e.attributes, 'environment') ?? 'unnamed environment';
}

/** Deploys grouped by environment, newest first, environments by their latest deploy. */
export function groupByEnvironment(deploys: DashEvent[]): EnvironmentDeploys[] {
  const sorted = [...deploys].sort(
    (a, b) => Date.parse(b.startTime) - Date.parse(a.startTime),
  );
  const groups = new Map<string, DashEvent[]>();
  for (const d of sorted) {
    const env = environmentOf(d);
    groups.set(env, [...(groups.get(env) ?? []), d]);
  }
  return [...groups.entries()].map(([environment, list]) => ({
    environment,
    deploys: list,
  }));
}

const OWNER = /^[A-Za-z0-9][\w-]{0,99}$/;
const REPO = /^[\w.-]{1,100}$/;

/**
 * A `github.com/project-slug` value as `owner/repo`, or undefined unless both parts are plain
 * names (the same rule the GitHub source applies before using the slug in request paths).
 */
export function parseProjectSlug(
  value: string | undefined,
): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.trim().split('/');
  if (parts.length !== 2) return undefined;
  const [owner, repo] = parts;
  if (!OWNER.test(owner) || !REPO.test(repo) || /^\.+$/.test(repo)) {
    return undefined;
  }
  return `${owner}/${repo}`;
}

const SHA = /^[0-9a-f]{7,64}$/i;
/** A tag or branch name that is safe in a compare URL: no `..`, no leading `-` or `/`. */
const REF = /^[A-Za-z0-9_][\w.+/-]{0,199}$/;

/** What a deploy shipped, as something GitHub can compare: its commit, else its version. */
export function compareRef(e: DashEvent): string | undefined {
  const sha = textAttribute(e.attributes, 'sha');
  if (sha && SHA.test(sha)) return sha;
  const version =
    textAttribute(e.attributes, 'version') ??
    textAttribute(e.attributes, 'ref');
  if (version && REF.test(version) && !version.includes('..')) return version;
  return undefined;
}

/**
 * `https://github.com/<slug>/compare/<base>...<head>` between a deploy and the one before it, or
 * undefined when the slug is not a plain `owner/repo`, either side has nothing to compare or
 * both shipped the same thing.
 */
export function githubCompareUrl(
  slugAnnotation: string | undefined,
  previous: DashEvent,
  current: DashEvent,
): string | undefined {
  const slug = parseProjectSlug(slugAnnotation);
  const base = compareRef(previous);
  const head = compareRef(current);
  if (!slug || !base || !head || base === head) return undefined;
  const enc = (ref: string) => ref.split('/').map(encodeURIComponent).join('/');
  return `https://github.com/${slug}/compare/${enc(base)}...${enc(head)}`;
}

/** `v2.14.0`, else the ref, else the event's title. */
export function versionOf(e: DashEvent): string {
  return (
    textAttribute(e.attributes, 'version') ??
    textAttribute(e.attributes, 'ref') ??
    e.title
  );
}

/** `a1b2c3d`: the short commit, when the deploy names one. */
export function commitOf(e: DashEvent): string | undefined {
  const short = textAttribute(e.attributes, 'shortSha');
  if (short) return short;
  const sha = textAttribute(e.attributes, 'sha');
  return sha ? sha.slice(0, 7) : undefined;
}

/** `success`, `in progress`, `failure`; `unknown` when the source gave none. */
export function statusWords(e: DashEvent): string {
  return (e.status ?? 'unknown').replace(/[_-]/g, ' ');
}

const FAILED = new Set([
  'failure',
  'error',
  'failed',
  'timed_out',
  'cancelled',
]);

export function isFailed(e: DashEvent): boolean {
  return FAILED.has(String(e.status)) || e.severity === 'error';
}
