import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PROJECT_ORIGIN,
  ANNOTATION_SHADOWED_FIELDS,
  ANNOTATION_UI_FIELDS,
  CatalogFeed,
} from '@dash-suite/plugin-project-catalog-common';
import { OverlayCache } from './OverlayCache';
import {
  FEED_PENDING_REFRESH_KEY,
  ProjectCatalogOverlayProcessor,
} from './ProjectCatalogOverlayProcessor';

function yamlEntity(name: string, extra?: Partial<Entity['metadata']>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-location': 'file:/repo/catalog-info.yaml',
      },
      links: [{ url: 'https://runbooks.acme.example/a', title: 'Runbook' }],
      ...extra,
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

function setup(feed: CatalogFeed) {
  let requests = 0;
  const cache = new OverlayCache({
    source: {
      fetchFeed: async () => {
        requests++;
        return { notModified: false, feed, etag: `"${feed.revision}"` };
      },
    },
    logger: mockServices.logger.mock(),
    revalidateMs: 60_000,
  });
  const processor = new ProjectCatalogOverlayProcessor({ cache });
  const run = (entity: Entity) =>
    processor.preProcessEntity(
      entity,
      { type: 'file', target: '/repo/catalog-info.yaml' },
      () => {},
    );
  return { processor, run, requests: () => requests };
}

const OVERLAY_FIELDS = {
  tags: ['payments', 'pci'],
  tier: '1',
  description: 'Takes card payments',
  links: [
    {
      url: 'https://grafana.acme.example/d/pay',
      title: 'Dashboard',
      group: 'observability',
    },
  ],
  'annotation:pagerduty.com/service-id': 'PPAY123',
};

describe('ProjectCatalogOverlayProcessor', () => {
  it('merges tags, tier, description, links and annotations into a YAML entity', async () => {
    const { run, processor } = setup({
      revision: 3,
      // Refs compare normalized: kind and name in another case still match.
      overlays: [
        { entityRef: 'Component:default/Payments-Api', fields: OVERLAY_FIELDS },
      ],
      projects: [],
    });
    expect(processor.getProcessorName()).toBe('ProjectCatalogOverlayProcessor');
    const input = yamlEntity('payments-api');
    const out = await run(input);

    expect(out.metadata.tags).toEqual(['payments', 'pci']);
    expect(out.metadata.labels).toEqual({ tier: '1' });
    expect(out.metadata.description).toBe('Takes card payments');
    expect(out.metadata.links).toEqual([
      { url: 'https://runbooks.acme.example/a', title: 'Runbook' },
      {
        url: 'https://grafana.acme.example/d/pay',
        title: 'Dashboard',
        type: 'observability',
      },
    ]);
    expect(out.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': 'file:/repo/catalog-info.yaml',
      'pagerduty.com/service-id': 'PPAY123',
    });
    expect(
      out.metadata.annotations?.[ANNOTATION_UI_FIELDS]?.split(',').sort(),
    ).toEqual([
      'annotation:pagerduty.com/service-id',
      'description',
      'links',
      'tags',
      'tier',
    ]);
    expect(
      out.metadata.annotations?.[ANNOTATION_SHADOWED_FIELDS],
    ).toBeUndefined();
    // The input is not changed.
    expect(input.metadata.tags).toBeUndefined();
  });

  it('keeps a field the YAML defines and reports the UI edit as shadowed', async () => {
    const { run } = setup({
      revision: 1,
      overlays: [
        { entityRef: 'component:default/payments-api', fields: OVERLAY_FIELDS },
      ],
      projects: [],
    });
    const out = await run(
      yamlEntity('payments-api', {
        description: 'From YAML',
        labels: { tier: '2' },
      }),
    );
    expect(out.metadata.description).toBe('From YAML');
    expect(out.metadata.labels).toEqual({ tier: '2' });
    expect(out.metadata.tags).toEqual(['payments', 'pci']);
    expect(
      out.metadata.annotations?.[ANNOTATION_SHADOWED_FIELDS]?.split(',').sort(),
    ).toEqual(['description', 'tier']);
    expect(out.metadata.annotations?.[ANNOTATION_UI_FIELDS]).not.toContain(
      'description',
    );
  });

  it('skips entities created in the UI and entities without overlays', async () => {
    const { run } = setup({
      revision: 1,
      overlays: [
        {
          entityRef: 'component:default/new-svc',
          fields: { tags: ['from-overlay'] },
        },
      ],
      projects: [],
    });
    const uiCreated = yamlEntity('new-svc', {
      annotations: { [ANNOTATION_PROJECT_ORIGIN]: 'ui' },
      tags: ['own'],
    });
    expect(await run(uiCreated)).toBe(uiCreated);
    const other = yamlEntity('orders-api');
    expect(await run(other)).toBe(other);
  });

  it('passes entities through unchanged, marked for a refresh, while the backend has never answered', async () => {
    const processor = new ProjectCatalogOverlayProcessor({
      cache: new OverlayCache({
        source: {
          fetchFeed: async () => {
            throw new Error('connect ECONNREFUSED');
          },
        },
        logger: mockServices.logger.mock(),
        revalidateMs: 5000,
      }),
    });
    const entity = yamlEntity('payments-api');
    const emitted: unknown[] = [];
    await expect(
      processor.preProcessEntity(entity, undefined, r => emitted.push(r)),
    ).resolves.toBe(entity);
    expect(emitted).toEqual([
      { type: 'refresh', key: FEED_PENDING_REFRESH_KEY },
    ]);
  });

  it('costs one backend request for a whole processing pass', async () => {
    const { run, requests } = setup({
      revision: 1,
      overlays: [
        { entityRef: 'component:default/svc-7', fields: { tier: '2' } },
      ],
      projects: [],
    });
    const outs = await Promise.all(
      Array.from({ length: 2000 }, (_, i) => run(yamlEntity(`svc-${i}`))),
    );
    expect(requests()).toBe(1);
    expect(outs[7].metadata.labels).toEqual({ tier: '2' });
    expect(outs.filter(e => e.metadata.labels).length).toBe(1);
  });
});
