import type { ConflictRow } from '../ConflictPanel';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  CAMPAIGN_LIMITS,
  CAMPAIGN_SCOPE_KEYS,
  Campaign,
  CampaignScope,
  CreateCampaignRequest,
  UpdateCampaignRequest,
} from '@dash-suite/plugin-project-catalog-common';
import { fieldProblem } from '../../lib/fieldText';

export type ScopeKey = (typeof CAMPAIGN_SCOPE_KEYS)[number];

/** The scope inputs' labels, in the order of `CAMPAIGN_SCOPE_KEYS`. */
export const SCOPE_LABELS: Record<ScopeKey, string> = {
  kind: 'Kinds',
  type: 'Types',
  tags: 'Tags',
  owner: 'Owning groups',
  system: 'Systems',
  lifecycle: 'Lifecycles',
};

const SCOPE_EXAMPLES: Record<ScopeKey, string> = {
  kind: 'component',
  type: 'service, website',
  tags: 'java, node',
  owner: 'team-payments, group:default/team-sre',
  system: 'payments',
  lifecycle: 'production',
};
export const scopeExample = (key: ScopeKey) => SCOPE_EXAMPLES[key];

/** The longest value of each scope key, as the backend checks it. */
const SCOPE_VALUE_LENGTH: Record<ScopeKey, number> = {
  kind: 63,
  type: 63,
  tags: 63,
  owner: 255,
  system: 255,
  lifecycle: 63,
};

/** The form's inputs, all text. */
export interface CampaignFormValues {
  id: string;
  title: string;
  description: string;
  owner: string;
  startsAt: string;
  deadline: string;
  scope: Record<ScopeKey, string>;
  checkType: string;
  /** The check's settings as JSON text. */
  checkConfig: string;
}

/** A field of the form that a problem is shown on. */
export type FormField =
  | Exclude<keyof CampaignFormValues, 'scope'>
  | `scope.${ScopeKey}`
  | 'scope';

export type FormProblems = Partial<Record<FormField, string>>;

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** The backend's time format: an ISO 8601 date, or a date-time with its offset. */
const TIME_PATTERN =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

const emptyScope = (): Record<ScopeKey, string> =>
  Object.fromEntries(CAMPAIGN_SCOPE_KEYS.map(k => [k, ''])) as Record<
    ScopeKey,
    string
  >;

/** The inputs of a new campaign: it starts today (UTC). */
export function emptyValues(today = new Date()): CampaignFormValues {
  return {
    id: '',
    title: '',
    description: '',
    owner: '',
    startsAt: today.toISOString().slice(0, 10),
    deadline: '',
    scope: emptyScope(),
    checkType: '',
    checkConfig: '{}',
  };
}

/** The JSON text of a check's settings, as the form shows it. */
export const configText = (config: Record<string, unknown>) =>
  JSON.stringify(config ?? {}, null, 2);

/** The inputs of an existing campaign. */
export function valuesOf(campaign: Campaign): CampaignFormValues {
  const scope = emptyScope();
  for (const key of CAMPAIGN_SCOPE_KEYS) {
    scope[key] = (campaign.scope[key] ?? []).join(', ');
  }
  return {
    id: campaign.id,
    title: campaign.title,
    description: campaign.description ?? '',
    owner: campaign.owner,
    startsAt: campaign.startsAt,
    deadline: campaign.deadline,
    scope,
    checkType: campaign.check.type,
    checkConfig: configText(campaign.check.config),
  };
}

/** Comma-separated values, trimmed, without empties or repeats. */
export function parseList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map(v => v.trim())
        .filter(Boolean),
    ),
  ];
}

export function parseScope(values: CampaignFormValues): CampaignScope {
  const scope: CampaignScope = {};
  for (const key of CAMPAIGN_SCOPE_KEYS) {
    const list = parseList(values.scope[key]);
    if (list.length) scope[key] = list;
  }
  return scope;
}

type ConfigParse =
  | { ok: true; config: Record<string, unknown> }
  | { ok: false; problem: string };

/** The check's settings from their JSON text: an object, at most the backend's size. */
export function parseConfig(text: string): ConfigParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (e) {
    return {
      ok: false,
      problem: `must be valid JSON: ${(e as Error).message}`,
    };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return {
      ok: false,
      problem:
        'must be a JSON object, e.g. {"annotation": "pagerduty.com/service-id"}',
    };
  }
  // Measured as the backend measures it: the compact JSON's length.
  if (JSON.stringify(parsed).length > CAMPAIGN_LIMITS.checkConfigBytes) {
    return {
      ok: false,
      problem: `must be at most ${CAMPAIGN_LIMITS.checkConfigBytes} characters as JSON`,
    };
  }
  return { ok: true, config: parsed as Record<string, unknown> };
}

const hasControl = (text: string, singleLine: boolean) =>
  [...text].some(c => {
    const code = c.charCodeAt(0);
    if (c === '\t') return false;
    if (c === '\n' || c === '\r') return singleLine;
    return code < 0x20 || code === 0x7f;
  });

function timeProblem(text: string): string | undefined {
  const t = text.trim();
  if (!t) return 'is required';
  if (!TIME_PATTERN.test(t) || Number.isNaN(Date.parse(t))) {
    return 'must be an ISO 8601 date or date-time, e.g. 2027-01-31 or 2027-01-31T17:00:00Z';
  }
  return undefined;
}

function ownerProblem(text: string): string | undefined {
  const t = text.trim();
  if (!t) return 'is required';
  const problem = fieldProblem('owner', t);
  if (problem) return problem;
  const ref = parseEntityRef(t, {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
  return ref.kind.toLocaleLowerCase('en-US') === 'group'
    ? undefined
    : 'must be a group, e.g. team-sre or group:default/team-sre';
}

/**
 * Every problem of the form, by field, with the backend's rules (`campaignIdSchema`,
 * `createCampaignBodySchema`): checked before anything is sent.
 */
export function campaignFormProblems(values: CampaignFormValues): FormProblems {
  const problems: FormProblems = {};
  const id = values.id.trim();
  if (!id) problems.id = 'is required';
  else if (id.length > CAMPAIGN_LIMITS.idLength) {
    problems.id = `must be at most ${CAMPAIGN_LIMITS.idLength} characters`;
  } else if (!ID_PATTERN.test(id)) {
    problems.id =
      'must be lower-case letters, digits and single dashes, e.g. node-22-ci';
  }

  const title = values.title.trim();
  if (!title) problems.title = 'is required';
  else if (title.length > CAMPAIGN_LIMITS.titleLength) {
    problems.title = `must be at most ${CAMPAIGN_LIMITS.titleLength} characters`;
  } else if (hasControl(title, true)) {
    problems.title = 'must be a single line of text without control characters';
  }

  const description = values.description.trim();
  if (description.length > CAMPAIGN_LIMITS.descriptionLength) {
    problems.description = `must be at most ${CAMPAIGN_LIMITS.descriptionLength} characters`;
  } else if (hasControl(description, false)) {
    problems.description = 'must not contain control characters';
  }

  const owner = ownerProblem(values.owner);
  if (owner) problems.owner = owner;

  const starts = timeProblem(values.startsAt);
  if (starts) problems.startsAt = starts;
  const deadline = timeProblem(values.deadline);
  if (deadline) problems.deadline = deadline;
  if (
    !starts &&
    !deadline &&
    Date.parse(values.deadline.trim()) <= Date.parse(values.startsAt.trim())
  ) {
    problems.deadline = 'must be after the start';
  }

  let anyScope = false;
  for (const key of CAMPAIGN_SCOPE_KEYS) {
    const list = parseList(values.scope[key]);
    if (list.length) anyScope = true;
    const max = SCOPE_VALUE_LENGTH[key];
    if (list.length > CAMPAIGN_LIMITS.scopeValues) {
      problems[
        `scope.${key}`
      ] = `must have at most ${CAMPAIGN_LIMITS.scopeValues} values`;
    } else if (list.some(v => v.length > max)) {
      const long = list.find(v => v.length > max)!;
      problems[`scope.${key}`] = `"${long.slice(
        0,
        20,
      )}…" must be at most ${max} characters`;
    }
  }
  if (!anyScope) {
    problems.scope =
      'Name at least one of kinds, types, tags, owning groups, systems or lifecycles';
  }

  if (!values.checkType.trim()) problems.checkType = 'is required';
  const config = parseConfig(values.checkConfig);
  if (!config.ok) problems.checkConfig = config.problem;
  return problems;
}

const hasProblems = (p: FormProblems) => Object.keys(p).length > 0;
export { hasProblems };

/** `POST /campaigns` for the form's values (valid ones). */
export function createRequestOf(
  values: CampaignFormValues,
): CreateCampaignRequest {
  const config = parseConfig(values.checkConfig);
  const description = values.description.trim();
  return {
    id: values.id.trim(),
    title: values.title.trim(),
    ...(description ? { description } : {}),
    owner: values.owner.trim(),
    startsAt: values.startsAt.trim(),
    deadline: values.deadline.trim(),
    scope: parseScope(values),
    check: {
      type: values.checkType.trim(),
      config: config.ok ? config.config : {},
    },
  };
}

/** A change to a campaign: `PATCH` without the version. */
export type CampaignChange = Omit<UpdateCampaignRequest, 'version'>;

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields that differ from the campaign the form was opened on, or undefined when nothing
 * does. Times are sent only when their text changed, so that an untouched time keeps its exact
 * value.
 */
export function changeOf(
  base: Campaign,
  values: CampaignFormValues,
): CampaignChange | undefined {
  const next = createRequestOf(values);
  const before = valuesOf(base);
  const change: CampaignChange = {};
  if (next.title !== base.title) change.title = next.title;
  if ((next.description ?? '') !== (base.description ?? '')) {
    change.description = next.description ?? '';
  }
  if (next.owner !== base.owner) change.owner = next.owner;
  if (values.startsAt.trim() !== before.startsAt)
    change.startsAt = next.startsAt;
  if (values.deadline.trim() !== before.deadline)
    change.deadline = next.deadline;
  if (!same(next.scope, base.scope)) change.scope = next.scope;
  if (
    next.check.type !== base.check.type ||
    !same(next.check.config, base.check.config)
  ) {
    change.check = next.check;
  }
  return Object.keys(change).length ? change : undefined;
}

/** The form values of `current` with a change applied on top: what re-applying would save. */
export function applyChange(
  current: Campaign,
  change: CampaignChange,
): CampaignFormValues {
  return valuesOf({
    ...current,
    ...change,
    scope: change.scope ?? current.scope,
    check: change.check ?? current.check,
  } as Campaign);
}

const FIELD_LABELS: Record<keyof CampaignChange, string> = {
  title: 'Title',
  description: 'Description',
  owner: 'Owner',
  startsAt: 'Starts',
  deadline: 'Deadline',
  scope: 'Scope',
  check: 'Check',
};

const scopeWords = (scope: CampaignScope | undefined) =>
  CAMPAIGN_SCOPE_KEYS.filter(k => scope?.[k]?.length)
    .map(k => `${k}: ${scope![k]!.join(', ')}`)
    .join('; ');

function showValue(key: keyof CampaignChange, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (key === 'scope') return scopeWords(value as CampaignScope);
  if (key === 'check') {
    const check = value as Campaign['check'];
    return `${check.type} ${JSON.stringify(check.config)}`;
  }
  return String(value);
}

/** One field of a campaign in a version conflict, as `ConflictPanel` shows it. */
export type CampaignConflictRow = ConflictRow;

/** The changed fields: the value saved by the other writer, and yours. */
export function conflictRows(
  current: Campaign,
  change: CampaignChange,
): CampaignConflictRow[] {
  return (Object.keys(change) as (keyof CampaignChange)[]).map(key => ({
    key,
    label: FIELD_LABELS[key],
    theirs: showValue(key, current[key]),
    yours: showValue(key, change[key]),
  }));
}

const BACKEND_FIELDS: Record<string, FormField> = {
  id: 'id',
  title: 'title',
  description: 'description',
  owner: 'owner',
  startsAt: 'startsAt',
  deadline: 'deadline',
  scope: 'scope',
  'check.type': 'checkType',
  check: 'checkConfig',
};

/**
 * The backend's 400 message (`deadline: must be after startsAt; check.config: ...`) by form
 * field, so that each part shows on its input.
 */
export function problemsFromMessage(message: string): FormProblems {
  const problems: FormProblems = {};
  for (const part of message.split('; ')) {
    const match = /^([A-Za-z.[\]0-9]+): (.+)$/s.exec(part);
    if (!match) continue;
    const [, path, text] = match;
    const scopeKey = /^scope\.(\w+)/.exec(path)?.[1] as ScopeKey | undefined;
    let field: FormField | undefined;
    if (
      scopeKey &&
      (CAMPAIGN_SCOPE_KEYS as readonly string[]).includes(scopeKey)
    ) {
      field = `scope.${scopeKey}`;
    } else {
      const key = Object.keys(BACKEND_FIELDS)
        .sort((a, b) => b.length - a.length)
        .find(
          k =>
            path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`),
        );
      field = key ? BACKEND_FIELDS[key] : undefined;
    }
    if (field && !problems[field]) {
      const sub = path.replace(/^check\.config\.?/, '');
      problems[field] =
        field === 'checkConfig' && sub && sub !== path
          ? `${sub}: ${text}`
          : text;
    }
  }
  return problems;
}

/** What the check type's JSON schema says about its settings, in a line. */
export function schemaHint(
  schema: Record<string, unknown>,
): string | undefined {
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (!properties || typeof properties !== 'object') return undefined;
  const names = Object.keys(properties);
  if (!names.length) return 'No settings.';
  const required = Array.isArray(schema.required)
    ? (schema.required as string[])
    : [];
  return `Settings: ${names
    .map(n => (required.includes(n) ? `${n} (required)` : n))
    .join(', ')}.`;
}
