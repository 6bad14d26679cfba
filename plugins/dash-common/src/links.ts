/**
 * `http:` and `https:` URLs only, else undefined: links shown to users must not run script
 * (`javascript:`, `data:` and friends). Used by the sources before storing a link and by the
 * frontend before rendering one.
 */
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

/**
 * The `source` of the entity's own links in `GET /links` (its `metadata.links`, which include
 * the quick links added in Project Catalog), listed after the upstreams' links under
 * `sourceTitle` "Quick links".
 */
export const DASH_ENTITY_LINKS_SOURCE = 'entity';
