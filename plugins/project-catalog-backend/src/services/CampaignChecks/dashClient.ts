import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { DashApi, DashClient } from '@dash-suite/plugin-dash-common';

/** A DASH client that calls the DASH backend with this plugin's own service token. */
export function createDashClient(deps: {
  auth: AuthService;
  discovery: DiscoveryService;
}): DashApi {
  const { auth, discovery } = deps;
  return new DashClient({
    discoveryApi: discovery,
    fetchApi: {
      fetch: async (input, init) => {
        const { token } = await auth.getPluginRequestToken({
          onBehalfOf: await auth.getOwnServiceCredentials(),
          targetPluginId: 'dash',
        });
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
    },
  });
}
