import { mockServices } from '@backstage/backend-test-utils';
import { PROJECT_CATALOG_TOPIC } from '@dash-suite/plugin-project-catalog-common';
import { OverlayCache } from './OverlayCache';
import { ProjectCatalogChangeHandler } from './ProjectCatalogChangeHandler';
import { FakeFeedBackend } from './__testUtils__/FakeFeedBackend';

const REVALIDATE_MS = 60;
const REF = 'component:default/payments-api';

async function setup() {
  const backend = new FakeFeedBackend();
  const logger = mockServices.logger.mock();
  const cache = new OverlayCache({
    source: backend,
    logger,
    revalidateMs: REVALIDATE_MS,
  });
  const refreshed: Array<{ ref: string; at: number; subject?: string }> = [];
  let refreshError: Error | undefined;
  const applied: number[] = [];
  const events = mockServices.events();
  const handler = new ProjectCatalogChangeHandler({
    cache,
    provider: {
      apply: async () => {
        applied.push(cache.current().revision!);
      },
    },
    catalog: {
      refreshEntity: async (ref, { credentials }) => {
        if (refreshError) throw refreshError;
        refreshed.push({
          ref,
          at: Date.now(),
          subject: (credentials.principal as { subject?: string }).subject,
        });
      },
    },
    auth: mockServices.auth({ pluginId: 'catalog' }),
    logger,
    revalidateMs: REVALIDATE_MS,
  });
  await handler.subscribe(events);
  const publish = (payload: unknown) =>
    events.publish({ topic: PROJECT_CATALOG_TOPIC, eventPayload: payload });
  return {
    backend,
    cache,
    handler,
    publish,
    refreshed,
    applied,
    logger,
    failRefresh: (e?: Error) => {
      refreshError = e;
    },
  };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('ProjectCatalogChangeHandler', () => {
  it('on an overlay change: loads the new revision, refreshes the entity now and again after two windows', async () => {
    const { backend, cache, handler, publish, refreshed } = await setup();
    await cache.get();
    backend.feed.revision = 2;
    const started = Date.now();
    await publish({ entityRef: REF, revision: 2, kind: 'overlay' });
    // By the time the catalog is asked to refresh, the cache holds the announced revision.
    expect(cache.current().revision).toBe(2);
    expect(refreshed).toEqual([
      { ref: REF, at: expect.any(Number), subject: 'plugin:catalog' },
    ]);

    await sleep(2 * REVALIDATE_MS + 50);
    expect(refreshed.map(r => r.ref)).toEqual([REF, REF]);
    expect(refreshed[1].at - started).toBeGreaterThanOrEqual(
      2 * REVALIDATE_MS - 5,
    );
    handler.close();
  });

  it('coalesces the second refresh of repeated changes, and skips the request for a revision it has', async () => {
    const { backend, cache, handler, publish, refreshed } = await setup();
    backend.feed.revision = 4;
    await cache.get();
    await publish({ entityRef: REF, revision: 3, kind: 'overlay' });
    await publish({ entityRef: REF, revision: 4, kind: 'overlay' });
    expect(backend.calls).toHaveLength(1);
    await sleep(2 * REVALIDATE_MS + 50);
    expect(refreshed.map(r => r.ref)).toEqual([REF, REF, REF]);
    handler.close();
  });

  it('on a project change: re-applies the provider, without refreshing the entity', async () => {
    const { backend, publish, refreshed, applied } = await setup();
    backend.feed.revision = 9;
    await publish({
      entityRef: 'component:default/new-svc',
      revision: 9,
      kind: 'project',
    });
    expect(applied).toEqual([9]);
    expect(refreshed).toEqual([]);
  });

  it('logs, never throws, on a malformed event or a failing catalog', async () => {
    const { publish, logger, failRefresh, handler, refreshed } = await setup();
    await expect(publish({ nope: true })).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('malformed'),
    );

    failRefresh(new Error('catalog is down'));
    await expect(
      publish({ entityRef: REF, revision: 1, kind: 'overlay' }),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('catalog is down'),
    );

    // Closing cancels the pending second refresh.
    failRefresh(undefined);
    handler.close();
    await sleep(2 * REVALIDATE_MS + 50);
    expect(refreshed).toEqual([]);
  });
});
