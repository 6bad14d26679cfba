import { mockServices } from '@backstage/backend-test-utils';
import { OverlayCache } from './OverlayCache';
import { FakeFeedBackend } from './__testUtils__/FakeFeedBackend';

function setup(options?: { revalidateMs?: number; maxWaitMs?: number }) {
  const backend = new FakeFeedBackend();
  const logger = mockServices.logger.mock();
  let time = 1_000_000;
  const cache = new OverlayCache({
    source: backend,
    logger,
    revalidateMs: options?.revalidateMs ?? 5000,
    maxWaitMs: options?.maxWaitMs,
    now: () => time,
  });
  const advance = (ms: number) => {
    time += ms;
  };
  return { backend, logger, cache, advance };
}

const PAYMENTS = 'component:default/payments-api';

describe('OverlayCache', () => {
  it('makes one request for many concurrent and sequential gets within the window', async () => {
    const { backend, cache, advance } = setup();
    backend.feed.overlays = [
      { entityRef: 'Component:default/Payments-API', fields: { tier: '1' } },
    ];
    backend.delayMs = 20;

    const snapshots = await Promise.all(
      Array.from({ length: 500 }, () => cache.get()),
    );
    expect(backend.calls).toHaveLength(1);
    expect(snapshots.every(s => s.overlays.get(PAYMENTS)?.tier === '1')).toBe(
      true,
    );

    for (let i = 0; i < 1000; i++) {
      advance(4);
      await cache.get();
    }
    // 4 s later, still inside the 5 s window counted from the end of the request.
    expect(backend.calls).toHaveLength(1);
  });

  it('revalidates after the window with If-None-Match, and a 304 keeps the feed', async () => {
    const { backend, cache, advance } = setup();
    backend.feed.overlays = [{ entityRef: PAYMENTS, fields: { tier: '1' } }];
    await cache.get();
    expect(backend.calls).toEqual([undefined]);

    advance(5000);
    const unchanged = await cache.get();
    expect(backend.calls).toEqual([undefined, '"1"']);
    expect(unchanged.revision).toBe(1);
    expect(unchanged.overlays.get(PAYMENTS)).toEqual({ tier: '1' });

    // The 304 restarted the window.
    advance(4999);
    await cache.get();
    expect(backend.calls).toHaveLength(2);

    backend.feed = {
      revision: 2,
      overlays: [{ entityRef: PAYMENTS, fields: { tier: '2' } }],
      projects: [],
    };
    advance(1);
    const changed = await cache.get();
    expect(backend.calls).toEqual([undefined, '"1"', '"1"']);
    expect(changed.revision).toBe(2);
    expect(changed.overlays.get(PAYMENTS)).toEqual({ tier: '2' });
  });

  it('keeps the last feed while the backend fails, with one warning per failure streak', async () => {
    const { backend, cache, advance, logger } = setup();
    backend.feed.overlays = [{ entityRef: PAYMENTS, fields: { tier: '1' } }];
    await cache.get();

    backend.failing = new Error('connect ECONNREFUSED 127.0.0.1:7007');
    for (let i = 0; i < 3; i++) {
      advance(5000);
      const snapshot = await cache.get();
      expect(snapshot.overlays.get(PAYMENTS)).toEqual({ tier: '1' });
      // Failed requests count for the window too: no request per entity while it is down.
      await cache.get();
    }
    expect(backend.calls).toHaveLength(4);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('keeping revision 1'),
    );

    backend.failing = undefined;
    backend.feed.revision = 2;
    advance(5000);
    expect((await cache.get()).revision).toBe(2);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('loaded again'),
    );

    backend.failing = new Error('500 Internal Server Error');
    advance(5000);
    await cache.get();
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('works before the first successful load: an empty snapshot, then the feed once it answers', async () => {
    const { backend, cache, advance, logger } = setup();
    backend.failing = new Error('connect ECONNREFUSED');
    const first = await cache.get();
    expect(first.loaded).toBe(false);
    expect(first.overlays.size).toBe(0);
    expect(first.projects).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('entities pass through without UI overlays'),
    );

    await cache.get();
    expect(backend.calls).toHaveLength(1);

    backend.failing = undefined;
    backend.feed.overlays = [{ entityRef: PAYMENTS, fields: { tier: '3' } }];
    advance(5000);
    const loaded = await cache.get();
    expect(loaded.loaded).toBe(true);
    expect(loaded.overlays.get(PAYMENTS)).toEqual({ tier: '3' });
    // The first successful request is unconditional.
    expect(backend.calls).toEqual([undefined, undefined]);
  });

  it('never makes get() wait longer than maxWaitMs on a hanging backend', async () => {
    const { backend, cache } = setup({ maxWaitMs: 50 });
    backend.delayMs = 10_000;
    const started = Date.now();
    const snapshot = await cache.get();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(snapshot.loaded).toBe(false);
    // The request is still in flight: later gets neither wait again nor send another.
    await Promise.all([cache.get(), cache.get()]);
    expect(backend.calls).toHaveLength(1);
  });

  it('revalidate() loads now unless it already has the announced revision', async () => {
    const { backend, cache } = setup();
    await cache.get();
    backend.feed.revision = 2;

    await cache.revalidate(2);
    expect(backend.calls).toEqual([undefined, '"1"']);
    expect(cache.current().revision).toBe(2);

    // A burst of announcements of revisions it has: no more requests.
    await Promise.all([cache.revalidate(1), cache.revalidate(2)]);
    expect(backend.calls).toHaveLength(2);

    // Without a revision it always asks. The second of two concurrent calls finds the first
    // one's request already in flight, cannot tell whether it predates the change, and asks again.
    await Promise.all([cache.revalidate(), cache.revalidate()]);
    expect(backend.calls).toHaveLength(4);
  });

  it('revalidate() does not settle for a request that started before it was called', async () => {
    const { backend, cache } = setup();
    backend.delayMs = 30;
    const early = cache.get();
    // The write happens while the first request is in flight.
    await new Promise(r => setTimeout(r, 5));
    backend.feed.revision = 2;
    backend.feed.overlays = [{ entityRef: PAYMENTS, fields: { tags: ['x'] } }];
    const snapshot = await cache.revalidate(2);
    await early;
    expect(snapshot.revision).toBe(2);
    expect(snapshot.overlays.get(PAYMENTS)).toEqual({ tags: ['x'] });
    expect(backend.calls).toHaveLength(2);
  });

  it('tells listeners about new revisions only', async () => {
    const { backend, cache, advance } = setup();
    const seen: Array<number | undefined> = [];
    cache.onChange(s => {
      seen.push(s.revision);
    });
    await cache.get();
    advance(5000);
    await cache.get(); // 304
    backend.feed.revision = 5;
    await cache.revalidate(5);
    await new Promise(r => setImmediate(r));
    expect(seen).toEqual([1, 5]);
  });
});
