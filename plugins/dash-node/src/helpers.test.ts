import { mapWithConcurrency, readJsonCursor } from './helpers';

describe('readJsonCursor', () => {
  const schema = {
    safeParse(value: unknown) {
      const v = value as { v?: number; etag?: string };
      return v && v.v === 1 && typeof v.etag === 'string'
        ? { success: true, data: { v: 1 as const, etag: v.etag } }
        : { success: false };
    },
  };
  it('reads what the source wrote and nothing else', () => {
    expect(readJsonCursor('{"v":1,"etag":"x"}', schema)).toEqual({
      v: 1,
      etag: 'x',
    });
    expect(readJsonCursor(undefined, schema)).toBeUndefined();
    expect(readJsonCursor('not json', schema)).toBeUndefined();
    expect(
      readJsonCursor('{"v":0,"etag":"old format"}', schema),
    ).toBeUndefined();
  });
});

describe('mapWithConcurrency', () => {
  it('keeps the order and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const result = await mapWithConcurrency(
      [5, 1, 4, 2, 3],
      2,
      async (n, i) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise(r => setTimeout(r, n * 5));
        inFlight -= 1;
        return `${i}:${n}`;
      },
    );
    expect(result).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3']);
    expect(most).toBe(2);
    await expect(mapWithConcurrency([], 3, async () => 1)).resolves.toEqual([]);
  });
});
