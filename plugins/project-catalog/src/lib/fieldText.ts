import { projectField } from '@dash-suite/plugin-project-catalog-common';

/**
 * Project fields as the text of a form input, and back. Tags are comma-separated; every other
 * field the forms edit as text is a string. Validation uses the field's schema from
 * `PROJECT_FIELDS`, the same one the backend applies.
 */

function itemText(item: unknown): string {
  if (item && typeof item === 'object') {
    const { title, url } = item as { title?: unknown; url?: unknown };
    return typeof url === 'string'
      ? `${title ?? url} <${url}>`
      : JSON.stringify(item);
  }
  return String(item);
}

/** The text a form input shows for a field value (quick links as `title <url>`). */
export function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(itemText).join(', ');
  return itemText(value);
}

/** Tags from a comma- or space-separated input, without empties. */
export function parseTags(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map(t => t.trim())
    .filter(Boolean);
}

/** The value to send for a field's input text. */
export function parseFieldText(key: string, text: string): unknown {
  if (key === 'tags') return parseTags(text);
  return text.trim();
}

/** The first problem of a value under a zod schema, with the bad array item named. */
export function schemaProblem(
  schema: { safeParse(v: unknown): { success: boolean; error?: any } },
  value: unknown,
): string | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const issue = result.error?.issues?.[0];
  if (!issue) return 'is not valid';
  const [index] = issue.path ?? [];
  if (typeof index === 'number' && Array.isArray(value)) {
    return `"${value[index]}" ${issue.message}`;
  }
  return issue.message;
}

/**
 * The problem with a field's input text, or undefined when it is valid. Empty text is valid
 * here (it clears the field); forms that require a field check that themselves.
 */
export function fieldProblem(key: string, text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const field = projectField(key);
  if (!field) return undefined;
  return schemaProblem(field.schema, parseFieldText(key, text));
}
