import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * The key under which overlays are cached and looked up: the full entity ref in lower case
 * (`component:default/payments-api`), as the catalog compares refs case-insensitively. A string
 * without kind or namespace means a Component in `default`. Undefined for a malformed ref.
 */
export function normalizeEntityRef(ref: string | Entity): string | undefined {
  try {
    const full =
      typeof ref === 'string'
        ? stringifyEntityRef(
            parseEntityRef(ref, {
              defaultKind: 'component',
              defaultNamespace: 'default',
            }),
          )
        : stringifyEntityRef(ref);
    return full.toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
