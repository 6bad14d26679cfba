import { mockServices } from '@backstage/backend-test-utils';
import { SchedulerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SignalSource } from '@dash-suite/plugin-dash-node';
import { RefreshEngine } from '../RefreshEngine/RefreshEngine';
import { AnnotatedEntities } from './AnnotatedEntities';
import { PrewarmTask } from './PrewarmTask';

const MINUTE = 60_000;

function entity(name: string, annotated: boolean): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: annotated ? { 'test/source': name } : {},
    },
  };
}

/** A catalog that answers `queryEntities` in pages of two, by cursor. */
function pagedCatalog(items: Entity[]) {
  const queryEntities = jest.fn(async (request: any) => {
    const start = request.cursor ? Number(request.cursor) : 0;
    const next = start + 2;
    return {
      items: items.slice(start, next),
      totalItems: items.length,
      pageInfo: next < items.length ? { nextCursor: String(next) } : {},
    };
  });
  return {
    catalog: { queryEntities } as unknown as CatalogService,
    queryEntities,
  };
}

const source = { id: 'test' } as SignalSource;
const sourcesFor = (e: Entity) =>
  e.metadata.annotations?.['test/source'] ? [source] : [];

function makeTask(options: {
  enabled?: boolean;
  entities?: Entity[];
  clock?: () => number;
  initialDelayMs?: number;
}) {
  const prewarm = jest.fn(async (list: unknown[]) => list.length);
  const { catalog, queryEntities } = pagedCatalog(options.entities ?? []);
  const logger = mockServices.logger.mock();
  const task = new PrewarmTask({
    engine: { prewarm } as unknown as RefreshEngine,
    entities: new AnnotatedEntities({ catalog, sourcesFor }),
    auth: mockServices.auth(),
    logger,
    settings: {
      enabled: options.enabled ?? true,
      frequency: { minutes: 5 },
      windowMs: 24 * 60 * MINUTE,
      concurrency: 3,
      initialDelayMs: options.initialDelayMs ?? 15_000,
    },
    clock: options.clock,
  });
  return { task, prewarm, queryEntities, logger };
}

function fakeScheduler() {
  const scheduleTask = jest.fn(async () => {});
  return {
    scheduler: { scheduleTask } as unknown as SchedulerService,
    scheduleTask,
  };
}

describe('PrewarmTask', () => {
  it('schedules itself every configured frequency, with a ten-minute timeout', async () => {
    const { task } = makeTask({});
    const { scheduler, scheduleTask } = fakeScheduler();
    await task.schedule(scheduler, 1);
    expect(scheduleTask).toHaveBeenCalledTimes(1);
    expect(scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'dash-prewarm',
        frequency: { minutes: 5 },
        timeout: { minutes: 10 },
        initialDelay: { milliseconds: 15_000 },
      }),
    );
  });

  it('starts its first run after the configured delay', async () => {
    const { task } = makeTask({ initialDelayMs: 2_000 });
    const { scheduler, scheduleTask } = fakeScheduler();
    await task.schedule(scheduler, 1);
    expect(scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({ initialDelay: { milliseconds: 2_000 } }),
    );
  });

  it('is not scheduled when turned off or when no source is installed', async () => {
    const { scheduler, scheduleTask } = fakeScheduler();
    await makeTask({ enabled: false }).task.schedule(scheduler, 2);
    await makeTask({}).task.schedule(scheduler, 0);
    expect(scheduleTask).not.toHaveBeenCalled();
  });

  it('pre-warms every annotated entity, page by page, and stops starting refreshes a minute before its timeout', async () => {
    const start = Date.UTC(2026, 0, 1);
    const entities = [
      entity('a', true),
      entity('b', false),
      entity('c', true),
      entity('d', true),
      entity('e', false),
    ];
    const { task, prewarm, queryEntities, logger } = makeTask({
      entities,
      clock: () => start,
    });
    const refreshed = await task.run();
    expect(refreshed).toBe(3);
    expect(queryEntities).toHaveBeenCalledTimes(3);
    expect(prewarm).toHaveBeenCalledWith(
      [
        { entity: entities[0], entityRef: 'component:default/a' },
        { entity: entities[2], entityRef: 'component:default/c' },
        { entity: entities[3], entityRef: 'component:default/d' },
      ],
      {
        windowMs: 24 * 60 * MINUTE,
        concurrency: 3,
        deadlineMs: start + 9 * MINUTE,
        paced: true,
      },
    );
    expect(logger.info).toHaveBeenCalledWith(
      'Pre-warmed 3 feed(s) of 3 annotated entities',
    );
  });

  it('runs the scheduled function as one pass', async () => {
    const { task, prewarm } = makeTask({ entities: [entity('a', true)] });
    const { scheduler, scheduleTask } = fakeScheduler();
    await task.schedule(scheduler, 1);
    const [[definition]] = scheduleTask.mock.calls as any;
    await definition.fn();
    expect(prewarm).toHaveBeenCalledTimes(1);
  });
});
