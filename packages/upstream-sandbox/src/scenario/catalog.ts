/*
 * Reads the demo catalog (catalog-info/*.yaml): components become the scenario's services,
 * with the annotation values the suite reads; users and teams become PagerDuty users,
 * schedules and escalation policies and GitHub authors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ScenarioService } from '../types';
import { withSlackChannel } from './slack';
import { withKubernetesId } from './kubernetesId';

export interface CatalogUser {
  name: string;
  displayName: string;
  email: string;
  memberOf: string[];
}

export interface CatalogGroup {
  name: string;
  displayName: string;
  type: string;
}

export interface Catalog {
  services: ScenarioService[];
  users: CatalogUser[];
  groups: CatalogGroup[];
}

/** <repo>/catalog-info: looked up from this package's location, then from the working directory. */
export function defaultCatalogDir(): string {
  const starts: string[] = [];
  try {
    starts.push(
      path.dirname(
        require.resolve('@dash-suite/upstream-sandbox/package.json'),
      ),
    );
  } catch {
    // Not resolvable by name (e.g. copied elsewhere): the working directory still works.
  }
  starts.push(process.cwd());
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 8; i++) {
      const candidate = path.join(dir, 'catalog-info');
      if (fs.existsSync(path.join(candidate, 'components.yaml'))) {
        return candidate;
      }
      dir = path.dirname(dir);
    }
  }
  return path.resolve(process.cwd(), 'catalog-info');
}

/** The tag inside a Grafana dashboard selector such as "tags @> 'payments-api'". */
export function tagFromSelector(
  selector: string | undefined,
): string | undefined {
  if (!selector) return undefined;
  const m = /tags\s*@>\s*'([^']+)'/.exec(selector);
  return m ? m[1] : undefined;
}

function stripRef(ref: string, kind: string): string {
  const m = /^(?:([a-z]+):)?(?:([^/]+)\/)?(.+)$/i.exec(ref);
  const k = (m?.[1] ?? kind).toLocaleLowerCase('en-US');
  const ns = m?.[2] ?? 'default';
  return `${k}:${ns}/${m?.[3] ?? ref}`;
}

export function readCatalog(dir: string): Catalog {
  if (!fs.existsSync(dir)) {
    throw new Error(
      `upstream-sandbox: catalog directory ${dir} does not exist; pass catalogDir (the folder with components.yaml)`,
    );
  }
  const files = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  const services: ScenarioService[] = [];
  const users: CatalogUser[] = [];
  const groups: CatalogGroup[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const entity = doc.toJS() as any;
      if (!entity || typeof entity !== 'object') continue;
      const meta = entity.metadata ?? {};
      const spec = entity.spec ?? {};
      if (entity.kind === 'Component') {
        const annotations: Record<string, string> = {
          ...(meta.annotations ?? {}),
        };
        const selector = annotations['grafana/dashboard-selector'];
        const service: ScenarioService = {
          index: services.length,
          name: meta.name,
          entityRef: `component:${meta.namespace ?? 'default'}/${meta.name}`,
          type: spec.type ?? 'service',
          description: meta.description ?? '',
          tags: ((meta.tags ?? []) as unknown[]).map(t => String(t)),
          owner: stripRef(
            String(spec.owner ?? 'group:default/unknown'),
            'group',
          ),
          system: spec.system,
          dependsOn: ((spec.dependsOn ?? []) as string[]).map(r =>
            stripRef(r, 'component'),
          ),
          pagerdutyServiceId: annotations['pagerduty.com/service-id'],
          githubSlug: annotations['github.com/project-slug'],
          grafanaDashboardSelector: selector,
          grafanaTag: tagFromSelector(selector),
          alertLabelSelector: annotations['grafana/alert-label-selector'],
          esIndexPattern: annotations['kibana/index-pattern'],
          kibanaLogQuery: annotations['kibana/log-query'],
          kibanaDataViewId: annotations['kibana/data-view-id'],
          annotations,
        };
        services.push(withKubernetesId(withSlackChannel(service)));
      } else if (entity.kind === 'User') {
        users.push({
          name: meta.name,
          displayName: spec.profile?.displayName ?? meta.name,
          email: spec.profile?.email ?? `${meta.name}@acme.example`,
          memberOf: spec.memberOf ?? [],
        });
      } else if (entity.kind === 'Group') {
        groups.push({
          name: meta.name,
          displayName: spec.profile?.displayName ?? meta.title ?? meta.name,
          type: spec.type ?? 'team',
        });
      }
    }
  }
  if (services.length === 0) {
    throw new Error(`upstream-sandbox: no Component entities found in ${dir}`);
  }
  return { services, users, groups };
}

/** A catalog entity, structurally (the sandbox does not depend on the catalog model). */
export interface ServiceEntity {
  apiVersion: 'backstage.io/v1alpha1';
  kind: 'Component';
  metadata: {
    name: string;
    namespace: 'default';
    description: string;
    annotations: Record<string, string>;
  };
  spec: {
    type: string;
    lifecycle: string;
    owner: string;
    system?: string;
    dependsOn: string[];
  };
  relations: Array<{ type: 'dependsOn'; targetRef: string }>;
}

/**
 * The catalog entity of a scenario service, with the `dependsOn` relations the catalog would
 * derive: what a test hands to a mock catalog so that the DASH backend sees the demo's entities.
 */
export function serviceEntity(service: {
  name: string;
  description: string;
  type: string;
  owner: string;
  system?: string;
  dependsOn: string[];
  annotations: Record<string, string>;
}): ServiceEntity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: service.name,
      namespace: 'default',
      description: service.description,
      annotations: { ...service.annotations },
    },
    spec: {
      type: service.type,
      lifecycle: 'production',
      owner: service.owner,
      ...(service.system ? { system: service.system } : {}),
      dependsOn: service.dependsOn,
    },
    relations: service.dependsOn.map(targetRef => ({
      type: 'dependsOn' as const,
      targetRef,
    })),
  };
}
