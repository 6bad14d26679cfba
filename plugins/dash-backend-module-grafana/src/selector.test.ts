import {
  SelectorError,
  matchesLabels,
  matchesSelector,
  parseAlertLabelSelector,
  parseDashboardSelector,
  positiveTags,
  requiredTags,
} from './selector';

describe('dashboard selector', () => {
  const dash = (tags: string[], title = 'Payments overview') => ({
    title,
    tags,
    url: 'https://grafana.acme.example/d/abc/payments',
    folderTitle: 'Payments',
  });

  it("reads the existing plugin's syntax", () => {
    const s = parseDashboardSelector(
      "(tags @> 'my-service' || tags @> 'my-service-slo') && tags @> 'generated'",
    );
    expect(matchesSelector(s, dash(['my-service', 'generated']))).toBe(true);
    expect(matchesSelector(s, dash(['my-service-slo', 'generated']))).toBe(
      true,
    );
    expect(matchesSelector(s, dash(['my-service']))).toBe(false);
    expect(matchesSelector(s, dash(['other', 'generated']))).toBe(false);
    expect(requiredTags(s)).toEqual(['generated']);
    expect(positiveTags(s).sort()).toEqual([
      'generated',
      'my-service',
      'my-service-slo',
    ]);
  });

  it('supports ==, !=, !, double quotes, and @> on strings', () => {
    const s = parseDashboardSelector(
      `folderTitle == "Payments" && !(tags @> 'slo') && title != 'Old' && url @> '/d/'`,
    );
    expect(matchesSelector(s, dash(['x']))).toBe(true);
    expect(matchesSelector(s, dash(['slo']))).toBe(false);
    expect(matchesSelector(s, dash(['x'], 'Old'))).toBe(false);
    expect(requiredTags(s)).toEqual([]);
    expect(positiveTags(s)).toEqual([]);
  });

  it('treats a single word as a tag', () => {
    const s = parseDashboardSelector(' payments-api ');
    expect(matchesSelector(s, dash(['payments-api']))).toBe(true);
    expect(requiredTags(s)).toEqual(['payments-api']);
    expect(
      matchesSelector(parseDashboardSelector('owner:team-atlas'), {
        tags: ['owner:team-atlas'],
      }),
    ).toBe(true);
  });

  it('refuses what it cannot read, saying where', () => {
    const bad: Array<[string, RegExp]> = [
      ["tags @> 'x' ||", /ends too early/],
      ["tags @> 'x", /unterminated string/],
      ["secrets @> 'x'", /unknown variable 'secrets'/],
      ["(tags @> 'x'", /missing '\)'/],
      ["tags @> 'x' tags", /unexpected 'tags' at character 13/],
      ["tags ; 'x'", /unexpected ';' at character 6/],
      ['', /empty/],
      ['('.repeat(60), /nests too deeply/],
    ];
    for (const [input, message] of bad) {
      expect(() => parseDashboardSelector(input)).toThrow(SelectorError);
      expect(() => parseDashboardSelector(input)).toThrow(message);
    }
  });
});

describe('alert label selector', () => {
  it('matches any of the comma-separated label=value pairs', () => {
    const m = parseAlertLabelSelector('service=payments-api, service="ledger"');
    expect(m).toEqual([
      { label: 'service', value: 'payments-api' },
      { label: 'service', value: 'ledger' },
    ]);
    expect(matchesLabels(m, { service: 'ledger', severity: 'critical' })).toBe(
      true,
    );
    expect(matchesLabels(m, { service: 'cart' })).toBe(false);
    expect(matchesLabels(m, undefined)).toBe(false);
  });

  it('refuses malformed pairs', () => {
    expect(() => parseAlertLabelSelector('service')).toThrow(/not label=value/);
    expect(() => parseAlertLabelSelector('a b=c')).toThrow(/not a label name/);
    expect(() => parseAlertLabelSelector('a=')).toThrow(/has no value/);
    expect(() => parseAlertLabelSelector(' , ')).toThrow(/empty/);
  });
});
