import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

/** Who the visitor sign-in is when `auth.providers.visitor.userEntityRef` names nobody. */
export const DEFAULT_VISITOR_REF = 'user:default/visitor';

/**
 * The demo's second sign-in beside `guest`: `GET /api/auth/visitor/refresh` answers a Backstage
 * token of a user in no team (`auth.providers.visitor.userEntityRef`, default
 * `user:default/visitor`), whom `permission.suite.hidden` hides entities from, to see what the
 * suite (and an AI assistant acting for such a user) answers someone who may not read an entity.
 * Like `guest`, it signs nobody in outside development unless
 * `auth.providers.visitor.dangerouslyAllowOutsideDevelopment` is true, and it is not there at
 * all unless `auth.providers.visitor` is configured.
 */
const visitorAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    return {
      userEntityRef:
        config.getOptionalString('userEntityRef') ?? DEFAULT_VISITOR_REF,
      enabled:
        process.env.NODE_ENV === 'development' ||
        config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') ===
          true,
    };
  },
  async authenticate(_, { userEntityRef, enabled }) {
    if (!enabled) {
      // A NotAllowedError by name (answered 403), as the guest provider refuses.
      throw Object.assign(
        new Error(
          "The visitor sign-in is for development only; set 'auth.providers.visitor.dangerouslyAllowOutsideDevelopment' to use it elsewhere",
        ),
        { name: 'NotAllowedError' },
      );
    }
    return { result: { userEntityRef } };
  },
});

export const visitorAuthProviderModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'visitor-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'visitor',
          factory: createProxyAuthProviderFactory({
            authenticator: visitorAuthenticator,
            // The catalog's user when there is one, else a token that owns only itself.
            signInResolver: async ({ result }, ctx) => {
              const ref = result.userEntityRef;
              try {
                return await ctx.signInWithCatalogUser({ entityRef: ref });
              } catch {
                return ctx.issueToken({ claims: { sub: ref, ent: [ref] } });
              }
            },
          }),
        });
      },
    });
  },
});
