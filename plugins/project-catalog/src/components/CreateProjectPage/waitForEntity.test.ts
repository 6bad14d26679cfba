import { waitForEntity } from './waitForEntity';

describe('waitForEntity', () => {
  const fast = { timeoutMs: 200, intervalMs: 10 };

  it('answers true as soon as the catalog serves the entity, asking again after errors', async () => {
    const getEntityByRef = jest
      .fn()
      .mockResolvedValueOnce(undefined)
      .mockRejectedValueOnce(new Error('503'))
      .mockResolvedValue({ kind: 'Component' });
    await expect(
      waitForEntity({ getEntityByRef }, 'component:default/x', fast),
    ).resolves.toBe(true);
    expect(getEntityByRef).toHaveBeenCalledTimes(3);
  });

  it('gives up after the timeout', async () => {
    const getEntityByRef = jest.fn().mockResolvedValue(undefined);
    const started = Date.now();
    await expect(
      waitForEntity({ getEntityByRef }, 'component:default/x', fast),
    ).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(getEntityByRef.mock.calls.length).toBeGreaterThan(2);
  });

  it('stops when the page goes away', async () => {
    const getEntityByRef = jest.fn().mockResolvedValue(undefined);
    const controller = new AbortController();
    controller.abort();
    await expect(
      waitForEntity(
        { getEntityByRef },
        'component:default/x',
        fast,
        controller.signal,
      ),
    ).resolves.toBe(false);
    expect(getEntityByRef).not.toHaveBeenCalled();
  });
});
