import { discoverUrl, encodeRison, risonString, ruleUrl } from './discover';

describe('Discover links', () => {
  it('quotes rison strings, escaping ! and quotes', () => {
    expect(risonString("it's ok!")).toBe("'it!'s ok!!'");
    expect(risonString('a:"b" AND (c)')).toBe('\'a:"b" AND (c)\'');
  });

  it('percent-encodes what could end the parameter or the fragment, and keeps rison readable', () => {
    expect(encodeRison("(query:'a & b # c %20 + d')")).toBe(
      "(query:'a%20%26%20b%20%23%20c%20%2520%20%2B%20d')",
    );
  });

  it('links to Discover for a time range, data view and Lucene query', () => {
    const url = discoverUrl({
      uiBaseUrl: 'https://kibana.acme.example',
      spacePrefix: '',
      from: new Date('2025-03-12T10:00:00Z'),
      to: new Date('2025-03-12T10:35:00Z'),
      query: 'service.name:"payments-api" AND log.level:error',
      dataViewId: 'logs-payments',
    });
    expect(url).toBe(
      "https://kibana.acme.example/app/discover#/?_g=(time:(from:'2025-03-12T10:00:00.000Z',to:'2025-03-12T10:35:00.000Z'))" +
        "&_a=(dataSource:(dataViewId:'logs-payments',type:dataView),query:(language:lucene,query:'service.name:%22payments-api%22%20AND%20log.level:error'))",
    );
  });

  it('round-trips a hostile query through the URL unchanged', () => {
    const query = "msg:\"it's broken!\" OR x:'y' & z#1 %41";
    const url = discoverUrl({
      uiBaseUrl: 'https://kibana.acme.example',
      spacePrefix: '/s/payments',
      from: new Date(0),
      to: new Date(1000),
      query,
      dataViewId: "view's!",
    })!;
    const parsed = new URL(url);
    expect(parsed.origin).toBe('https://kibana.acme.example');
    expect(parsed.pathname).toBe('/s/payments/app/discover');
    const params = new URLSearchParams(parsed.hash.replace(/^#\/\?/, ''));
    expect([...params.keys()]).toEqual(['_g', '_a']);
    const a = params.get('_a')!;
    expect(a).toBe(
      `(dataSource:(dataViewId:${risonString(
        "view's!",
      )},type:dataView),query:(language:lucene,query:${risonString(query)}))`,
    );
  });

  it('leaves the data view out when the entity names none, and links rules in their space', () => {
    const url = discoverUrl({
      uiBaseUrl: 'http://127.0.0.1:7104',
      spacePrefix: '',
      from: new Date(0),
      to: new Date(1000),
      query: 'log.level:error',
    });
    expect(url).toContain(
      "&_a=(query:(language:lucene,query:'log.level:error'))",
    );
    expect(ruleUrl('https://k.example', '/s/ops', 'ab-12')).toBe(
      'https://k.example/s/ops/app/management/insightsAndAlerting/triggersActions/rule/ab-12',
    );
  });
});
