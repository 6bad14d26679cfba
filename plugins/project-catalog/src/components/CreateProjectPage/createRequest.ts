import {
  CreateProjectRequest,
  EditableAnnotation,
  projectNameSchema,
} from '@dash-suite/plugin-project-catalog-common';
import { fieldProblem, parseTags } from '../../lib/fieldText';
import {
  LinkDraft,
  LinkProblems,
  fromDraft,
  linkProblems,
} from '../QuickLinksEditor';

/** The create form's inputs, all text except the links. */
export interface CreateValues {
  name: string;
  title: string;
  type: string;
  owner: string;
  system: string;
  lifecycle: string;
  tier: string;
  description: string;
  tags: string;
  repository: string;
  pagerDuty: string;
  links: LinkDraft[];
}

export const EMPTY_VALUES: CreateValues = {
  name: '',
  title: '',
  type: 'service',
  owner: '',
  system: '',
  lifecycle: 'experimental',
  tier: '',
  description: '',
  tags: '',
  repository: '',
  pagerDuty: '',
  links: [],
};

/** The form inputs that are annotations, and the annotation each one sets. */
export const ANNOTATION_INPUTS: Record<
  'repository' | 'pagerDuty',
  EditableAnnotation
> = {
  repository: 'github.com/project-slug',
  pagerDuty: 'pagerduty.com/service-id',
};

/** Inputs checked with the field of the same key in `PROJECT_FIELDS`. */
const FIELD_INPUTS = [
  'title',
  'type',
  'owner',
  'system',
  'lifecycle',
  'tier',
  'description',
  'tags',
] as const;
const REQUIRED = ['name', 'type', 'owner', 'lifecycle'] as const;

export interface CreateProblems {
  fields: Partial<Record<keyof CreateValues, string>>;
  links: Record<number, LinkProblems>;
}

/** Every problem of the form: the catalog's name rules, the shared field schemas, the links. */
export function createProblems(values: CreateValues): CreateProblems {
  const fields: CreateProblems['fields'] = {};
  const name = values.name.trim();
  const nameCheck = projectNameSchema.safeParse(name);
  if (name && !nameCheck.success) {
    fields.name = nameCheck.error.issues[0].message;
  }
  for (const key of FIELD_INPUTS) {
    const problem = fieldProblem(key, values[key]);
    if (problem) fields[key] = problem;
  }
  for (const [input, annotation] of Object.entries(ANNOTATION_INPUTS)) {
    const problem = fieldProblem(
      `annotation:${annotation}`,
      values[input as keyof typeof ANNOTATION_INPUTS],
    );
    if (problem) fields[input as keyof CreateValues] = problem;
  }
  if (
    values.repository.trim() &&
    !/^(?:[\w.-]+\/)?[\w.-]+\/[\w.-]+$/.test(values.repository.trim())
  ) {
    fields.repository = 'must be owner/repository, e.g. acme/payments-api';
  }
  for (const key of REQUIRED) {
    if (!values[key].trim()) fields[key] = 'is required';
  }
  return { fields, links: linkProblems(values.links) };
}

export function hasProblems(problems: CreateProblems): boolean {
  return (
    Object.keys(problems.fields).length > 0 ||
    Object.keys(problems.links).length > 0
  );
}

const optional = (text: string) => (text.trim() ? text.trim() : undefined);

/** The `POST /projects` body for the form's values. */
export function createRequest(values: CreateValues): CreateProjectRequest {
  const annotations: Partial<Record<EditableAnnotation, string>> = {};
  for (const [input, annotation] of Object.entries(ANNOTATION_INPUTS)) {
    const value = optional(values[input as keyof typeof ANNOTATION_INPUTS]);
    if (value) annotations[annotation] = value;
  }
  const tags = parseTags(values.tags);
  const request: CreateProjectRequest = {
    name: values.name.trim(),
    type: values.type as CreateProjectRequest['type'],
    owner: values.owner.trim(),
    lifecycle: values.lifecycle.trim(),
    title: optional(values.title),
    system: optional(values.system),
    tier: optional(values.tier),
    description: optional(values.description),
    tags: tags.length ? tags : undefined,
    links: values.links.length ? values.links.map(fromDraft) : undefined,
    annotations: Object.keys(annotations).length ? annotations : undefined,
  };
  return Object.fromEntries(
    Object.entries(request).filter(([, v]) => v !== undefined),
  ) as CreateProjectRequest;
}
