/**
 * Builds the stable id of an event: `<source>:<part>[:<part>...]`. Parts are upstream ids, never
 * times or titles, so that a refresh maps onto the same event.
 */
export function dashEventId(
  source: string,
  ...parts: Array<string | number>
): string {
  if (parts.length === 0) {
    throw new Error('dashEventId needs at least one upstream id part');
  }
  return [source, ...parts.map(p => String(p))].join(':');
}

/** `http:` and `https:` URLs only, else undefined: links shown to users must not run script. */
export function safeLink(url: string | undefined | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? parsed.toString()
      : undefined;
  } catch {
    return undefined;
  }
}
