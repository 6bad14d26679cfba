import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { AuditQuery } from '@dash-suite/plugin-project-catalog-common';
import { DateTime } from 'luxon';

/**
 * The audit page's filters. They live in the URL's query string (`?entity=…&from=…`), so that a
 * filtered log can be shared and a reload shows the same entries; the form edits a draft of them
 * and writes the URL when the draft is valid. The limits are the backend's (`GET /audit`).
 */

/** The filters in the order the form and the URL show them. */
export const AUDIT_FILTER_KEYS = [
  'actor',
  'entity',
  'field',
  'action',
  'from',
  'to',
] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];

/** The filters as the URL holds them: refs in full, times as ISO 8601 in UTC; `''` for none. */
export type AuditFilters = Record<AuditFilterKey, string>;

/** What is wrong with each filter, by key. */
export type FilterProblems = Partial<Record<AuditFilterKey, string>>;

export const NO_FILTERS: AuditFilters = {
  actor: '',
  entity: '',
  field: '',
  action: '',
  from: '',
  to: '',
};

/** Entries in one page of `GET /audit` (the backend's default; it allows up to 200). */
export const AUDIT_PAGE_SIZE = 50;

/** The actions the backend records, offered in the action filter (any other can be typed). */
export const AUDIT_ACTIONS = [
  'project.create',
  'project.update',
  'project.delete',
  'campaign.create',
  'campaign.update',
  'campaign.delete',
  'campaign.evaluate',
  'campaign.status',
  'campaign.exempt',
  'campaign.unexempt',
  'discovery.scan',
  'discovery.review',
  'discovery.adopt',
  'discovery.ignore',
  'discovery.merge',
  'oncall.page',
] as const;

/** The longest values `GET /audit` accepts. */
const MAX_LENGTH: Record<'actor' | 'entity' | 'field' | 'action', number> = {
  actor: 255,
  entity: 255,
  field: 128,
  action: 64,
};

const validator = makeValidator();

const EXAMPLE_REF = {
  actor: 'user:default/ada',
  entity: 'component:default/payments-api',
} as const;

/**
 * A full entity ref from input text, the kind defaulting to `user` (actor) or `component`
 * (entity) and the namespace to `default`; undefined when the text is not an entity ref.
 */
export function parseRefInput(
  text: string,
  defaultKind: string,
): string | undefined {
  try {
    const ref = parseEntityRef(text.trim(), {
      defaultKind,
      defaultNamespace: 'default',
    });
    if (
      !validator.isValidKind(ref.kind) ||
      !validator.isValidNamespace(ref.namespace) ||
      !validator.isValidEntityName(ref.name)
    ) {
      return undefined;
    }
    return stringifyEntityRef(ref);
  } catch {
    return undefined;
  }
}

function parseTime(text: string): DateTime | undefined {
  const dt = DateTime.fromISO(text.trim());
  return dt.isValid ? dt : undefined;
}

/** The filters of a URL's query string; unknown parameters are ignored. */
export function filtersFromParams(params: URLSearchParams): AuditFilters {
  return Object.fromEntries(
    AUDIT_FILTER_KEYS.map(key => [key, params.get(key)?.trim() ?? '']),
  ) as AuditFilters;
}

/** The query string of the filters: only those set, in the form's order. */
export function paramsOfFilters(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    if (filters[key]) params.set(key, filters[key]);
  }
  return params;
}

/** Every problem of the filters; none means `GET /audit` accepts them. */
export function filterProblems(filters: AuditFilters): FilterProblems {
  const problems: FilterProblems = {};
  for (const key of ['actor', 'entity'] as const) {
    const text = filters[key];
    if (text && !parseRefInput(text, key === 'actor' ? 'user' : 'component')) {
      problems[
        key
      ] = `"${text}" is not an entity reference such as ${EXAMPLE_REF[key]}`;
    }
  }
  for (const key of ['actor', 'entity', 'field', 'action'] as const) {
    if (!problems[key] && filters[key].length > MAX_LENGTH[key]) {
      problems[key] = `must be at most ${MAX_LENGTH[key]} characters`;
    }
  }
  const from = filters.from ? parseTime(filters.from) : undefined;
  const to = filters.to ? parseTime(filters.to) : undefined;
  if (filters.from && !from) {
    problems.from = `"${filters.from}" is not a date and time`;
  }
  if (filters.to && !to) {
    problems.to = `"${filters.to}" is not a date and time`;
  }
  if (from && to && to <= from) {
    problems.to = 'must be after From';
  }
  return problems;
}

export function hasProblems(problems: FilterProblems): boolean {
  return Object.keys(problems).length > 0;
}

/** The `GET /audit` query of valid filters (times in UTC), without a cursor. */
export function auditQueryOf(filters: AuditFilters): AuditQuery {
  const query: AuditQuery = {};
  if (filters.actor) query.actor = parseRefInput(filters.actor, 'user');
  if (filters.entity) {
    query.entityRef = parseRefInput(filters.entity, 'component');
  }
  if (filters.field) query.field = filters.field;
  if (filters.action) query.action = filters.action;
  if (filters.from) query.from = utcIso(filters.from);
  if (filters.to) query.to = utcIso(filters.to);
  query.limit = AUDIT_PAGE_SIZE;
  return query;
}

function utcIso(text: string): string | undefined {
  return (
    parseTime(text)?.toUTC().toISO({ suppressMilliseconds: true }) ?? undefined
  );
}

/*
 * The form's draft: the same keys, the times as the `datetime-local` inputs hold them (local
 * time, no zone).
 */

const LOCAL_INPUT = "yyyy-LL-dd'T'HH:mm";

/** The draft the form starts from, for the filters of the URL. */
export function draftOfFilters(filters: AuditFilters): AuditFilters {
  const local = (text: string) => {
    if (!text) return '';
    const dt = parseTime(text);
    // A time the URL holds that does not parse stays as it is, so its problem shows.
    return dt ? dt.toLocal().toFormat(LOCAL_INPUT) : text;
  };
  return { ...filters, from: local(filters.from), to: local(filters.to) };
}

/**
 * The filters of a draft, normalized for the URL (refs in full, local times in UTC), and the
 * problems of the draft.
 */
export function filtersOfDraft(draft: AuditFilters): {
  filters: AuditFilters;
  problems: FilterProblems;
} {
  const trimmed = Object.fromEntries(
    AUDIT_FILTER_KEYS.map(key => [key, draft[key].trim()]),
  ) as AuditFilters;
  const problems = filterProblems(trimmed);
  if (hasProblems(problems)) return { filters: trimmed, problems };
  return {
    filters: {
      actor: trimmed.actor && parseRefInput(trimmed.actor, 'user')!,
      entity: trimmed.entity && parseRefInput(trimmed.entity, 'component')!,
      field: trimmed.field,
      action: trimmed.action,
      from: trimmed.from && utcIso(trimmed.from)!,
      to: trimmed.to && utcIso(trimmed.to)!,
    },
    problems,
  };
}
