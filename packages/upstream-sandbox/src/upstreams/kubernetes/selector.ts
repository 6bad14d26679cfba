/*
 * Label selectors as the API server reads them (equality- and set-based: `a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x)`, `a`, `!a`), and the opaque `continue` tokens of list paging.
 */

export type Labels = Record<string, string>;
export type Requirement = (labels: Labels) => boolean;

export class SelectorError extends Error {}

const KEY =
  /^([a-z0-9A-Z]([\w.-]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([\w.-]{0,61}[a-z0-9A-Z])?$/;

/** Splits on the commas that are not inside parentheses. */
function split(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map(p => p.trim());
}

function key(k: string, whole: string): string {
  if (!KEY.test(k))
    throw new SelectorError(
      `unable to parse requirement: invalid label key "${k}" in "${whole}"`,
    );
  return k;
}

/** Parses a `labelSelector`; throws SelectorError with the API server's kind of message. */
export function parseLabelSelector(text: string | null): Requirement[] {
  if (!text || !text.trim()) return [];
  return split(text).map(part => {
    let m = /^(\S+?)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const k = key(m[1], part);
      const values = new Set(
        m[3]
          .split(',')
          .map(v => v.trim())
          .filter(Boolean),
      );
      return m[2] === 'in'
        ? l => k in l && values.has(l[k])
        : l => !(k in l) || !values.has(l[k]);
    }
    m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(part);
    if (m) {
      const k = key(m[1], part);
      const v = m[3];
      return m[2] === '!=' ? l => l[k] !== v : l => l[k] === v;
    }
    m = /^(!?)(\S+)$/.exec(part);
    if (m) {
      const k = key(m[2], part);
      return m[1] ? l => !(k in l) : l => k in l;
    }
    throw new SelectorError(`unable to parse requirement: "${part}"`);
  });
}

export function matches(requirements: Requirement[], labels: Labels): boolean {
  return requirements.every(r => r(labels));
}

/** The `continue` token of a page: where the next one starts, in the list of one snapshot. */
export function continueToken(resourceVersion: string, offset: number): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: resourceVersion, start: offset }),
  ).toString('base64');
}

/** The offset a `continue` token names; undefined when it is not one of ours. */
export function readContinue(token: string): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    return value?.v === 'meta.k8s.io/v1' &&
      Number.isInteger(value.start) &&
      value.start >= 0
      ? value.start
      : undefined;
  } catch {
    return undefined;
  }
}
