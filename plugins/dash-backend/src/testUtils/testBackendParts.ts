import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SignalSource,
  dashSourcesExtensionPoint,
} from '@dash-suite/plugin-dash-node';

/** A backend module that adds the given sources to DASH through its extension point. */
export function fakeSourcesModule(...added: SignalSource[]) {
  return createBackendModule({
    pluginId: 'dash',
    moduleId: 'fake-sources',
    register(reg) {
      reg.registerInit({
        deps: { sources: dashSourcesExtensionPoint },
        async init({ sources }) {
          for (const s of added) sources.addSource(s);
        },
      });
    },
  });
}

/**
 * A catalog of `entities` that answers as if `user` may not read the entity named `hidden` (as a
 * permission policy on catalog reads would): its service factory, for `startTestBackend`.
 */
export function catalogHidingFrom(
  entities: Entity[],
  hide: { user: string; hidden: string },
) {
  const catalog = catalogServiceMock({ entities });
  return catalogServiceMock.mock({
    getEntitiesByRefs: async (req, options) => {
      const principal = (
        options as { credentials?: { principal: unknown } } | undefined
      )?.credentials?.principal as { userEntityRef?: string } | undefined;
      const { items } = await catalog.getEntitiesByRefs(req);
      return {
        items: items.map(e =>
          principal?.userEntityRef === hide.user &&
          e?.metadata.name === hide.hidden
            ? undefined
            : e,
        ),
      };
    },
  }).factory;
}
