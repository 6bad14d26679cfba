/** Removes NUL characters, which PostgreSQL refuses in text columns. */
export function stripNul(value: string): string {
  return value.includes('\u0000') ? value.split('\u0000').join('') : value;
}

/**
 * Text from an upstream (an error message quoting a malformed body, a cursor) made storable in
 * a text column on every database: no NUL characters, at most `max` characters, and never cut
 * between the two halves of a surrogate pair.
 */
export function storableText(value: string, max: number): string {
  const clean = stripNul(value);
  if (clean.length <= max) return clean;
  const last = clean.charCodeAt(max - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return clean.slice(0, end);
}
