/*
 * Starts the demo backend (src/backend.ts): every backend plugin and module of the suite on
 * Backstage's catalog, search, permissions and guest auth.
 */
import { createDemoBackend } from './backend';

createDemoBackend().start();
