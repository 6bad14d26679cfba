/* The catalog file of bench entities: Components annotated like a sandbox service. */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `<dir>/<file>` with one Component per name, each carrying `annotations` (those of a
 * sandbox service, e.g. payments-api's) and no dependencies; returns its path.
 */
export function writeBenchCatalog(
  dir: string,
  names: string[],
  annotations: Record<string, string>,
  file = 'bench-entities.yaml',
): string {
  const docs = names.map(name =>
    JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, annotations },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'group:default/team-sre',
      },
    }),
  );
  const out = path.join(dir, file);
  fs.writeFileSync(out, docs.join('\n---\n'));
  return out;
}
