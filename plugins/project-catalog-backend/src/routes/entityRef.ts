import { makeValidator, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

const validator = makeValidator();

/**
 * The entity ref of `/:kind/:namespace/:name`, lower-cased: the catalog compares refs without
 * case, and so do the stored overlays.
 */
export function entityRefFromPath(params: {
  kind?: string;
  namespace?: string;
  name?: string;
}): string {
  const { kind = '', namespace = '', name = '' } = params;
  if (!validator.isValidKind(kind)) {
    throw new InputError(`kind: ${kind} is not a catalog kind`);
  }
  if (!validator.isValidNamespace(namespace)) {
    throw new InputError(`namespace: ${namespace} is not a catalog namespace`);
  }
  if (!validator.isValidEntityName(name)) {
    throw new InputError(`name: ${name} is not a catalog entity name`);
  }
  return stringifyEntityRef({ kind, namespace, name }).toLocaleLowerCase(
    'en-US',
  );
}

/** A ref from a query or body, normalized the same way. */
export function normalizeEntityRef(ref: string): string {
  const match = /^([^:/]+):(?:([^:/]+)\/)?([^:/]+)$/.exec(ref);
  if (!match) {
    throw new InputError(
      `entityRef: ${ref} is not an entity reference such as component:default/payments-api`,
    );
  }
  return entityRefFromPath({
    kind: match[1],
    namespace: match[2] ?? 'default',
    name: match[3],
  });
}
