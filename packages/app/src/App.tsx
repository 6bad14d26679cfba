import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
// Signals (the SignalApi): DASH's live mode refetches on the backend's signals instead of polling.
import signalsPlugin from '@backstage/plugin-signals/alpha';
import dashPlugin from '@dash-suite/plugin-dash/alpha';
import projectCatalogPlugin from '@dash-suite/plugin-project-catalog/alpha';
import { navModule } from './modules/nav';

/**
 * The demo app: Backstage's new frontend system with the catalog, catalog graph, org, search
 * and user settings, plus the suite's plugins as they land.
 */
export const appFeatures = [
  catalogPlugin,
  catalogGraphPlugin,
  orgPlugin,
  searchPlugin,
  userSettingsPlugin,
  signalsPlugin,
  dashPlugin,
  projectCatalogPlugin,
  navModule,
];

export default createApp({ features: appFeatures });
