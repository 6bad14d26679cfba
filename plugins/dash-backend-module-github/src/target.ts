import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_GITHUB_PROJECT_SLUG } from '@dash-suite/plugin-dash-common';

/** `backstage.io/source-location`, e.g. `url:https://github.com/acme/payments-api/tree/main/`. */
export const ANNOTATION_SOURCE_LOCATION = 'backstage.io/source-location';

/** The repository an entity's events come from, and how to reach it. */
export interface GithubTarget {
  host: string;
  apiBaseUrl: string;
  uiBaseUrl: string;
  owner: string;
  repo: string;
  slug: string;
  /** Credentials need a network call (GitHub App installation token). */
  usesApps: boolean;
}

const OWNER = /^[A-Za-z0-9][\w-]{0,99}$/;
const REPO = /^[\w.-]{1,100}$/;

/**
 * Parses a `github.com/project-slug` value: `owner/repo`, where the owner is letters, digits,
 * `-` and `_` and the repository letters, digits, `.`, `-` and `_`, and neither is `.` or `..`
 * (the value ends up in request paths).
 */
export function parseProjectSlug(
  value: string | undefined,
): { owner: string; repo: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.trim().split('/');
  if (parts.length !== 2) return undefined;
  const [owner, repo] = parts;
  if (!OWNER.test(owner) || !REPO.test(repo) || /^\.+$/.test(repo)) {
    return undefined;
  }
  return { owner, repo };
}

/** The raw slug annotation of an entity, or undefined. */
export function slugAnnotation(entity: Entity): string | undefined {
  const value = entity.metadata.annotations?.[ANNOTATION_GITHUB_PROJECT_SLUG];
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/**
 * The host named by `backstage.io/source-location` (`url:https://ghe.example.com/...`), lower
 * case, or undefined. Only a candidate: the caller uses it only when it is a configured
 * integration host.
 */
export function sourceLocationHost(entity: Entity): string | undefined {
  const raw = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
  if (typeof raw !== 'string') return undefined;
  const target = raw.trim().replace(/^url:/, '');
  try {
    const url = new URL(target);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.host.toLowerCase();
  } catch {
    return undefined;
  }
}
