/*
 * The backend of the scale part (bench/scale.ts): the DASH backend and its four source modules
 * of the bench (GitHub, PagerDuty, Grafana, Kibana) over a static catalog
 * (lib/staticCatalog.ts), with no catalog, auth or search plugin to ingest or index the
 * entities, so that the part measures pre-warming alone.
 */
import { createBackend } from '@backstage/backend-defaults';
import { staticCatalogServiceFactory } from './lib/staticCatalog';

const backend = createBackend();
backend.add(staticCatalogServiceFactory);
backend.add(import('@dash-suite/plugin-dash-backend'));
backend.add(import('@dash-suite/plugin-dash-backend-module-github'));
backend.add(import('@dash-suite/plugin-dash-backend-module-grafana'));
backend.add(import('@dash-suite/plugin-dash-backend-module-kibana'));
backend.add(import('@dash-suite/plugin-dash-backend-module-pagerduty'));
backend.start();
