/*
 * The backend that bench/projectCatalog.bench.ts runs in a child process: the catalog, search,
 * guest auth and the Project Catalog backend, with the catalog module of Project Catalog only
 * when PC_BENCH_WITH_MODULE=1, and a processor that counts what the catalog processes (one line
 * on stdout per full pass over PC_BENCH_ENTITIES entities).
 */
import { createBackend } from '@backstage/backend-defaults';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { suitePermissionPolicyModule } from '../src/modules/permissionPolicy';

const total = Number(process.env.PC_BENCH_ENTITIES ?? 10000);

/** Counts preProcessEntity calls of the bench's Components; prints each full pass's duration. */
const countingModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'bench-counter',
  register(reg) {
    reg.registerInit({
      deps: { processing: catalogProcessingExtensionPoint },
      async init({ processing }) {
        let count = 0;
        let passStart = 0;
        processing.addProcessor({
          getProcessorName: () => 'BenchCounter',
          async preProcessEntity(entity) {
            if (!entity.metadata.name.startsWith('bench-')) return entity;
            if (count % total === 0) passStart = performance.now();
            count++;
            if (count % total === 0) {
              const ms = performance.now() - passStart;
              process.stdout.write(
                `[pc-bench] pass=${count / total} ms=${ms.toFixed(0)}\n`,
              );
            }
            return entity;
          },
        });
      },
    });
  },
});

const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(suitePermissionPolicyModule);
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@dash-suite/plugin-search-backend-module-project-catalog'));
backend.add(import('@dash-suite/plugin-project-catalog-backend'));
if (process.env.PC_BENCH_WITH_MODULE === '1') {
  backend.add(
    import('@dash-suite/plugin-catalog-backend-module-project-catalog'),
  );
}
backend.add(countingModule);
backend.start();
