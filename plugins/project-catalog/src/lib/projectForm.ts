import {
  PROJECT_FIELDS,
  ProjectFieldState,
  ProjectView,
  UpdateProjectRequest,
  projectField,
} from '@dash-suite/plugin-project-catalog-common';
import { fieldProblem, fieldText, parseFieldText } from './fieldText';

/**
 * The edit form's model: one text per field, built from a `ProjectView`, turned into the
 * `{ set, unset }` of a PATCH. Quick links have their own editor, so they are not in it.
 */

export type FormValues = Record<string, string>;
export type ProjectChange = Pick<UpdateProjectRequest, 'set' | 'unset'>;

/** The fields the edit form shows, in `PROJECT_FIELDS` order. */
export const FORM_FIELDS = PROJECT_FIELDS.filter(f => f.key !== 'links');

/** Fields a project created in the UI cannot do without (the catalog needs them). */
export const REQUIRED_FIELDS = ['type', 'lifecycle', 'owner'];

export function fieldState(
  view: ProjectView,
  key: string,
): ProjectFieldState | undefined {
  return view.fields.find(f => f.key === key);
}

export function isReadOnly(view: ProjectView, key: string): boolean {
  return fieldState(view, key)?.owner === 'yaml';
}

export function formValues(view: ProjectView): FormValues {
  return Object.fromEntries(
    FORM_FIELDS.map(f => [f.key, fieldText(fieldState(view, f.key)?.value)]),
  );
}

const same = (key: string, a: string, b: string) =>
  JSON.stringify(parseFieldText(key, a)) ===
  JSON.stringify(parseFieldText(key, b));

/** What the form changed against the view it was opened on. */
export function changeOf(view: ProjectView, values: FormValues): ProjectChange {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const field of FORM_FIELDS) {
    const state = fieldState(view, field.key);
    if (!state || state.owner === 'yaml') continue;
    const before = fieldText(state.value);
    const after = values[field.key] ?? '';
    if (same(field.key, before, after)) continue;
    if (after.trim() === '') {
      if (state.owner === 'ui') unset.push(field.key);
    } else {
      set[field.key] = parseFieldText(field.key, after);
    }
  }
  return { set, unset };
}

export function isEmptyChange(change: ProjectChange): boolean {
  return (
    Object.keys(change.set ?? {}).length === 0 &&
    (change.unset ?? []).length === 0
  );
}

/** The problem with each changed field, by key. */
export function formProblems(
  view: ProjectView,
  values: FormValues,
): Record<string, string> {
  const change = changeOf(view, values);
  const problems: Record<string, string> = {};
  for (const [key, value] of Object.entries(change.set ?? {})) {
    const problem = fieldProblem(key, fieldText(value));
    if (problem) problems[key] = problem;
  }
  if (view.origin === 'ui') {
    for (const key of change.unset ?? []) {
      if (REQUIRED_FIELDS.includes(key)) problems[key] = 'must not be empty';
    }
  }
  return problems;
}

/** Their values against yours, for every field either side changed. */
/**
 * What a user edits of a field: its value, or for a field that the UI appends to YAML's (quick
 * links) only the UI's part, so a conflict compares like with like.
 */
function editedValue(view: ProjectView, key: string): unknown {
  const state = fieldState(view, key);
  return projectField(key)?.merge === 'append'
    ? state?.overlay?.value
    : state?.value;
}

export function conflictRows(
  base: ProjectView,
  current: ProjectView,
  change: ProjectChange,
) {
  const set = change.set ?? {};
  const unset = change.unset ?? [];
  const keys = PROJECT_FIELDS.map(f => f.key).filter(
    key =>
      key in set ||
      unset.includes(key) ||
      JSON.stringify(editedValue(base, key)) !==
        JSON.stringify(editedValue(current, key)),
  );
  const yours = (key: string) => {
    if (key in set) return fieldText(set[key]);
    return unset.includes(key) ? '' : '(not changed by you)';
  };
  return keys.map(key => ({
    key,
    label: projectField(key)?.label ?? key,
    theirs: fieldText(editedValue(current, key)),
    yours: yours(key),
  }));
}
