import {
  mapWithConcurrency,
  parseBaseUrl,
  readJsonCursor,
  readPositiveInt,
} from './helpers';

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

describe('parseBaseUrl', () => {
  it('keeps http(s) URLs without a trailing slash and names the key in every problem', () => {
    expect(parseBaseUrl(' https://grafana.acme.example/ ', 'k')).toEqual({
      url: 'https://grafana.acme.example',
    });
    expect(parseBaseUrl('http://127.0.0.1:7101/api//', 'k')).toEqual({
      url: 'http://127.0.0.1:7101/api',
    });
    expect(parseBaseUrl(undefined, 'k')).toEqual({});
    expect(parseBaseUrl('  ', 'k')).toEqual({});
    expect(parseBaseUrl('not a url', 'a.b')).toEqual({
      problem: "a.b is not a URL: 'not a url'",
    });
    expect(parseBaseUrl('ftp://x.example', 'a.b')).toEqual({
      problem: 'a.b must be an http or https URL',
    });
    for (const bad of [
      'https://x.example/?q=1',
      'https://x.example/#f',
      'https://u:p@x.example',
    ]) {
      expect(parseBaseUrl(bad, 'a.b')).toEqual({
        problem: 'a.b must not carry a query, fragment or credentials',
      });
    }
  });
});

describe('readPositiveInt', () => {
  const config = (value: number | undefined) => ({
    getOptionalNumber: () => value,
  });
  it('takes whole numbers of at least 1 and falls back for anything else', () => {
    expect(readPositiveInt(config(5), 'k', 3)).toBe(5);
    expect(readPositiveInt(config(2.7), 'k', 3)).toBe(2);
    expect(readPositiveInt(config(0), 'k', 3)).toBe(3);
    expect(readPositiveInt(config(-4), 'k', 3)).toBe(3);
    expect(readPositiveInt(config(NaN), 'k', 3)).toBe(3);
    expect(readPositiveInt(config(undefined), 'k', 3)).toBe(3);
    expect(readPositiveInt(undefined, 'k', 3)).toBe(3);
  });
});
