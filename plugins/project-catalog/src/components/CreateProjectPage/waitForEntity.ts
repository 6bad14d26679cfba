import { CatalogApi } from '@backstage/plugin-catalog-react';

/** How long the form waits for the catalog to show a new project, and how often it asks. */
export const CATALOG_WAIT = { timeoutMs: 30_000, intervalMs: 1000 };

/**
 * Waits until the catalog serves the entity (the catalog module adds a project created in the
 * UI within seconds), so that the page opened next is not "Entity not found". True when it came,
 * false after `timeoutMs`; errors count as "not yet".
 */
export async function waitForEntity(
  catalogApi: Pick<CatalogApi, 'getEntityByRef'>,
  entityRef: string,
  options: { timeoutMs: number; intervalMs: number } = CATALOG_WAIT,
  signal?: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (signal?.aborted) return false;
    try {
      if (await catalogApi.getEntityByRef(entityRef)) return true;
    } catch {
      // not yet, or the catalog is busy: ask again
    }
    if (Date.now() + options.intervalMs > deadline) return false;
    await new Promise(resolve => setTimeout(resolve, options.intervalMs));
  }
}
