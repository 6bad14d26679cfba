import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { Sandbox, serviceEntity } from '@dash-suite/upstream-sandbox';

/** The demo catalog as the sandbox knows it: its Components and one Group per GitHub team. */
export function sandboxEntities(sandbox: Sandbox): Entity[] {
  const groups = new Map<string, Entity>();
  for (const t of sandbox.scenario.github.teams) {
    groups.set(t.slug, {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: t.slug, namespace: 'default', title: t.name },
      spec: { type: 'team', profile: { displayName: t.name }, children: [] },
    });
  }
  return [
    ...sandbox.scenario.services.map(s => serviceEntity(s) as Entity),
    ...groups.values(),
  ];
}

/** Config pointing discovery (GitHub org `acme`, PagerDuty) at the sandbox; no scheduled run. */
export function sandboxDiscoveryConfig(
  sandbox: Sandbox,
  discovery: JsonObject = {},
): JsonObject {
  return {
    integrations: {
      github: [
        {
          host: 'github.com',
          apiBaseUrl: sandbox.urls.github,
          token: sandbox.tokens.github,
        },
      ],
    },
    projectCatalog: {
      discovery: {
        github: { organizations: ['acme'] },
        pagerduty: {
          apiBaseUrl: sandbox.urls.pagerduty,
          token: sandbox.tokens.pagerduty,
        },
        timeoutMs: 1500,
        schedule: {
          frequency: { hours: 6 },
          timeout: { minutes: 10 },
          initialDelay: { hours: 6 },
        },
        ...discovery,
      },
    },
  };
}

/** What discovery should find: the ground truth's uncatalogued repositories and services. */
export function expectedDiscoveries(sandbox: Sandbox) {
  const { github, pagerduty } = sandbox.scenario;
  return {
    repos: github.repos.filter(r => !r.inCatalog && !r.archived && !r.fork),
    skippedRepos: github.repos.filter(
      r => !r.inCatalog && (r.archived || r.fork),
    ),
    services: pagerduty.services.filter(s => !s.inCatalog),
  };
}
