/*
 * The backend of the crowd benchmark (bench/crowd.ts): the demo backend plus Backstage's proxy
 * backend, "the usual way" of reaching an upstream from a Backstage page (proxy.endpoints in the
 * bench's config, see bench/proxyBackend.ts). The demo itself has no proxy.
 */
import { createDemoBackend } from '../src/backend';

const backend = createDemoBackend();
backend.add(import('@backstage/plugin-proxy-backend'));
backend.start();
