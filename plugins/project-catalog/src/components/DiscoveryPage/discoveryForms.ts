import { makeValidator } from '@backstage/catalog-model';
import {
  AdoptEdits,
  DISCOVERY_LIMITS,
  DiscoveryAction,
  DiscoverySuggestion,
  projectNameSchema,
} from '@dash-suite/plugin-project-catalog-common';
import { fieldProblem, parseFieldText } from '../../lib/fieldText';

/**
 * The forms of the review queue: adopting one suggestion with edits, ignoring with a reason,
 * merging into an entity. The rules are the backend's (`POST /discovery/suggestions/actions`):
 * the field schemas of `PROJECT_FIELDS`, the catalog's name rule, `DISCOVERY_LIMITS`.
 */

/** The lifecycle an adopted project gets unless the reviewer gives one (the backend's default). */
export const DEFAULT_ADOPTED_LIFECYCLE = 'experimental';

/** The adopt dialog's inputs, all text. */
export interface AdoptValues {
  name: string;
  title: string;
  type: string;
  owner: string;
  system: string;
  lifecycle: string;
  tier: string;
  tags: string;
  description: string;
}

export type AdoptProblems = Partial<Record<keyof AdoptValues, string>>;

/** Inputs checked with the field of the same key in `PROJECT_FIELDS`. */
const FIELD_INPUTS = [
  'title',
  'type',
  'owner',
  'system',
  'lifecycle',
  'tier',
  'tags',
  'description',
] as const;

/** What a project cannot be created without. */
const REQUIRED = ['name', 'type', 'owner', 'lifecycle'] as const;

/** The dialog starts from what discovery inferred. */
export function adoptValuesOf(s: DiscoverySuggestion): AdoptValues {
  return {
    name: s.name,
    title: s.title ?? '',
    type: s.type ?? '',
    owner: s.owner ?? '',
    system: '',
    lifecycle: DEFAULT_ADOPTED_LIFECYCLE,
    tier: '',
    tags: '',
    description: s.description ?? '',
  };
}

export function adoptProblems(values: AdoptValues): AdoptProblems {
  const problems: AdoptProblems = {};
  const name = values.name.trim();
  const nameCheck = projectNameSchema.safeParse(name);
  if (name && !nameCheck.success) {
    problems.name = nameCheck.error.issues[0].message;
  }
  for (const key of FIELD_INPUTS) {
    const problem = fieldProblem(key, values[key]);
    if (problem) problems[key] = problem;
  }
  for (const key of REQUIRED) {
    if (!values[key].trim()) problems[key] = 'is required';
  }
  return problems;
}

/**
 * The edits of an adoption: every input that has a value. The project is then what the dialog
 * showed, whatever discovery inferred (an emptied title or description keeps the inferred one:
 * the backend fills the gaps from the suggestion).
 */
export function adoptEdits(values: AdoptValues): AdoptEdits {
  const edits: Record<string, unknown> = {};
  for (const key of Object.keys(values) as Array<keyof AdoptValues>) {
    if (!values[key].trim()) continue;
    const value = parseFieldText(key, values[key]);
    if (Array.isArray(value) && !value.length) continue;
    edits[key] = value;
  }
  return edits as AdoptEdits;
}

/** Why a suggestion cannot be adopted as inferred, or undefined when it can. */
export function missingForAdoption(s: DiscoverySuggestion): string | undefined {
  const missing = [!s.type && 'type', !s.owner && 'owner'].filter(Boolean);
  return missing.length
    ? `discovery could not infer its ${missing.join(' or ')}`
    : undefined;
}

/** The problem of an ignore reason, or undefined. */
export function reasonProblem(reason: string): string | undefined {
  const text = reason.trim();
  if (!text) return 'is required: say why, so the next reviewer knows';
  if (text.length > DISCOVERY_LIMITS.reasonLength) {
    return `must be at most ${DISCOVERY_LIMITS.reasonLength} characters`;
  }
  return undefined;
}

const validator = makeValidator();
/** `kind:name` or `kind:namespace/name`, as the backend accepts for a merge. */
const FULL_REF = /^([^:/]+):(?:([^:/]+)\/)?([^:/]+)$/;

/** The problem of the entity a suggestion is merged into, or undefined. */
export function mergeTargetProblem(text: string): string | undefined {
  const ref = text.trim();
  if (!ref) return 'is required';
  if (ref.length > 255) return 'must be at most 255 characters';
  const match = FULL_REF.exec(ref);
  if (
    !match ||
    !validator.isValidKind(match[1]) ||
    !validator.isValidNamespace(match[2] ?? 'default') ||
    !validator.isValidEntityName(match[3])
  ) {
    return 'must be an entity reference with its kind, such as component:default/payments-api';
  }
  return undefined;
}

/** Actions in requests the backend accepts: at most `actionsPerRequest` each. */
export function chunksOf<T>(
  items: T[],
  size: number = DISCOVERY_LIMITS.actionsPerRequest,
): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

/** Past tense of an action, for its result. */
export const DONE: Record<DiscoveryAction['action'], string> = {
  adopt: 'Adopted',
  ignore: 'Ignored',
  merge: 'Merged',
};
