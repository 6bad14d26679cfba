import { AllowList, readAllowList, warnWithoutAllowList } from './allowList';

describe('AllowList', () => {
  it('matches exact values and * globs, everything else literally', () => {
    const list = new AllowList([
      'acme/*',
      'tools/ci.runner',
      '*-logs',
      'a*b*c',
    ]);
    expect(list.allows('acme/payments')).toBe(true);
    expect(list.allows('acme/')).toBe(true);
    expect(list.allows('acmex/payments')).toBe(false);
    expect(list.allows('tools/ci.runner')).toBe(true);
    expect(list.allows('tools/ciXrunner')).toBe(false);
    expect(list.allows('payments-logs')).toBe(true);
    expect(list.allows('payments-logs2')).toBe(false);
    expect(list.allows('aXbYc')).toBe(true);
    expect(list.allows('abc')).toBe(true);
    expect(list.allows('ab')).toBe(false);
  });

  it('treats regular expression characters as text', () => {
    const list = new AllowList(['svc(1)|x', 'a+b', '[x]', '^$', 'a\\d']);
    expect(list.allows('svc(1)|x')).toBe(true);
    expect(list.allows('svc1')).toBe(false);
    expect(list.allows('x')).toBe(false);
    expect(list.allows('a+b')).toBe(true);
    expect(list.allows('aab')).toBe(false);
    expect(list.allows('[x]')).toBe(true);
    expect(list.allows('x]')).toBe(false);
    expect(list.allows('^$')).toBe(true);
    expect(list.allows('')).toBe(false);
    expect(list.allows('a\\d')).toBe(true);
    expect(list.allows('a1')).toBe(false);
  });

  it('is case-sensitive unless asked, and anchored at both ends', () => {
    expect(new AllowList(['acme/*']).allows('ACME/x')).toBe(false);
    expect(
      new AllowList(['acme/*'], { caseInsensitive: true }).allows('ACME/x'),
    ).toBe(true);
    expect(new AllowList(['acme/x']).allows('acme/x\nother/y')).toBe(false);
    expect(new AllowList(['acme/*']).allows('acme/x\nother/y')).toBe(true);
    expect(new AllowList(['acme/*']).allows('other/y\nacme/x')).toBe(false);
  });

  it('allows nothing when empty', () => {
    expect(new AllowList([]).allows('anything')).toBe(false);
  });
});

describe('readAllowList', () => {
  /** The two methods of Backstage's Config that the reader uses. */
  const config = (data: Record<string, unknown>) => ({
    has: (key: string) => key in data,
    getStringArray: (key: string) => {
      const v = data[key];
      if (!Array.isArray(v) || v.some(x => typeof x !== 'string')) {
        throw new Error(`Invalid type in config for key '${key}'`);
      }
      return v as string[];
    },
  });
  const read = (data: Record<string, unknown>) =>
    readAllowList(
      config(data),
      'repositories',
      'dash.sources.x.allow.repositories',
    );

  it('is undefined when absent, and a list when present (empty included)', () => {
    expect(read({})).toBeUndefined();
    expect(read({ repositories: [] })?.allows('a')).toBe(false);
    expect(read({ repositories: [' acme/* '] })?.allows('acme/a')).toBe(true);
    expect(readAllowList(undefined, 'repositories', 'k')).toBeUndefined();
  });

  it('names the key of a malformed list', () => {
    expect(() => read({ repositories: 'acme/*' })).toThrow(
      'Invalid config: dash.sources.x.allow.repositories must be a list of strings',
    );
    expect(() => read({ repositories: ['acme/*', ' '] })).toThrow(
      'Invalid config: dash.sources.x.allow.repositories must not contain empty patterns',
    );
  });
});

describe('warnWithoutAllowList', () => {
  it('says what is trusted and which key to set', () => {
    const logger = { warn: jest.fn() };
    warnWithoutAllowList(logger, 'GitHub', 'github.com/project-slug', 'k.x');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "every entity's github.com/project-slug annotation is trusted with the backend's GitHub credentials",
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Set k.x '),
    );
  });
});
