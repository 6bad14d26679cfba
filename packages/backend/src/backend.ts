/*
 * The demo backend: Backstage's catalog, search, permissions and guest auth, plus every backend
 * plugin and module of the suite as they land. The database comes from config: an SQLite file
 * locally (app-config.yaml), PostgreSQL in production (app-config.production.yaml).
 */
import { createBackend } from '@backstage/backend-defaults';
import { suitePermissionPolicyModule } from './modules/permissionPolicy';
import { visitorAuthProviderModule } from './modules/visitorAuthProvider';

/** The demo backend with all its features added, not started (benchmarks add more). */
export function createDemoBackend() {
  const backend = createBackend();

  backend.add(import('@backstage/plugin-app-backend'));

  backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
  // A second demo sign-in, a user in no team (auth.providers.visitor; development only).
  backend.add(visitorAuthProviderModule);

  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(suitePermissionPolicyModule);

  backend.add(import('@backstage/plugin-search-backend'));
  backend.add(import('@backstage/plugin-search-backend-module-catalog'));
  // Tags, tier and the suite's annotations in the catalog's search documents (Project Catalog).
  backend.add(
    import('@dash-suite/plugin-search-backend-module-project-catalog'),
  );
  // Recent DASH incidents, deploys and changes in search, each opening the DASH tab at its event.
  backend.add(import('@dash-suite/plugin-search-backend-module-dash'));

  backend.add(import('@backstage/plugin-user-settings-backend'));

  // Events: the bus that carries Project Catalog's change announcements to the catalog module,
  // across replicas too (stored in the database).
  backend.add(import('@backstage/plugin-events-backend'));

  // Notifications: Project Catalog tells owners about deprecations and campaigns through them.
  backend.add(import('@backstage/plugin-notifications-backend'));

  // Signals: pushes to the browser over a WebSocket; DASH tabs in live mode refetch when the DASH
  // backend says an entity has new events (without it they poll).
  backend.add(import('@backstage/plugin-signals-backend'));

  // DASH: the timeline backend and its source modules.
  backend.add(import('@dash-suite/plugin-dash-backend'));
  backend.add(import('@dash-suite/plugin-dash-backend-module-github'));
  backend.add(import('@dash-suite/plugin-dash-backend-module-grafana'));
  backend.add(import('@dash-suite/plugin-dash-backend-module-kibana'));
  backend.add(import('@dash-suite/plugin-dash-backend-module-pagerduty'));
  backend.add(import('@dash-suite/plugin-dash-backend-module-slack'));
  backend.add(import('@dash-suite/plugin-dash-backend-module-kubernetes'));

  // Project Catalog: projects without YAML, metadata edits, audit log, campaigns, discovery.
  backend.add(import('@dash-suite/plugin-project-catalog-backend'));
  backend.add(
    import('@dash-suite/plugin-catalog-backend-module-project-catalog'),
  );

  // MCP: the actions of the plugins in backend.actions.pluginSources as tools for AI assistants,
  // at /api/mcp-actions/v1 (Streamable HTTP), called with a Backstage token.
  backend.add(import('@backstage/plugin-mcp-actions-backend'));

  return backend;
}
