import { mockServices } from '@backstage/backend-test-utils';
import { entity } from '../../testUtils/fakeSource';
import { LiveWatch } from './LiveWatch';

const A = 'component:default/payments-api';
const B = 'component:default/checkout-api';

function setup(settings = { intervalMs: 2000, ttlMs: 10_000, maxEntities: 2 }) {
  let now = 1_000_000;
  const prewarm = jest.fn(async () => 0);
  const watch = new LiveWatch({
    engine: { prewarm },
    settings,
    logger: mockServices.logger.mock(),
    clock: () => now,
  });
  return { watch, prewarm, advance: (ms: number) => (now += ms) };
}

describe('LiveWatch', () => {
  it('refreshes watched entities with feeds older than half the interval counted stale, until the watch runs out', async () => {
    const { watch, prewarm, advance } = setup();
    await watch.tick();
    expect(prewarm).not.toHaveBeenCalled();

    watch.watch(entity('payments-api', {}), A, 1_000_000 - 60_000);
    await watch.tick();
    expect(prewarm).toHaveBeenCalledWith(
      [expect.objectContaining({ entityRef: A })],
      expect.objectContaining({ windowMs: 60_000, maxAgeMs: 1000 }),
    );
    advance(10_000);
    expect(watch.refs()).toEqual([]);
    await watch.tick();
    expect(prewarm).toHaveBeenCalledTimes(1);
  });

  it('keeps the most recently asked for entities when full, and renews a watch on each request', () => {
    const { watch, advance } = setup();
    watch.watch(entity('payments-api', {}), A, 0);
    watch.watch(entity('checkout-api', {}), B, 0);
    watch.watch(entity('payments-api', {}), A, 0);
    watch.watch(entity('search-api', {}), 'component:default/search-api', 0);
    expect(watch.refs()).toEqual([A, 'component:default/search-api']);
    advance(6000);
    watch.watch(entity('payments-api', {}), A, 0);
    advance(6000);
    expect(watch.refs()).toEqual([A]);
  });

  it('watches nothing with an interval of 0', async () => {
    const { watch, prewarm } = setup({
      intervalMs: 0,
      ttlMs: 10_000,
      maxEntities: 2,
    });
    watch.watch(entity('payments-api', {}), A, 0);
    watch.start();
    await watch.tick();
    expect(watch.refs()).toEqual([]);
    expect(prewarm).not.toHaveBeenCalled();
    await watch.stop();
  });
});
