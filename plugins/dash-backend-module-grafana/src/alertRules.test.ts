import { mockServices } from '@backstage/backend-test-utils';
import { UpstreamCaller } from '@dash-suite/plugin-dash-node';
import {
  AlertRuleLists,
  alertmanagerFilter,
  readFiringAlerts,
} from './alertRules';
import { GrafanaClient } from './GrafanaClient';
import { parseAlertLabelSelector } from './selector';
import { GrafanaRead, GrafanaTarget } from './target';

/** A read of instance `key` whose client answers the rule list with `answer`. */
function readOf(key: string, get: jest.Mock) {
  const client = { instance: { key }, get } as unknown as GrafanaClient;
  return {
    target: { client },
    settings: {},
    upstream: {},
    logger: mockServices.logger.mock(),
  } as unknown as GrafanaRead;
}

const rule = (uid: string) => ({ uid, title: uid, labels: { service: uid } });

describe('AlertRuleLists', () => {
  it('reads an instance once for the fetches within the reuse time, then again', async () => {
    let now = 0;
    const lists = new AlertRuleLists(60_000, () => now);
    const get = jest.fn(async () => ({ items: [rule('a')], dropped: 0 }));
    const read = readOf('default', get);
    expect(await lists.list(read)).toEqual([rule('a')]);
    now = 59_000;
    expect(await lists.list(read)).toEqual([rule('a')]);
    expect(get).toHaveBeenCalledTimes(1);
    now = 60_000;
    await lists.list(read);
    expect(get).toHaveBeenCalledTimes(2);
    expect(get).toHaveBeenCalledWith(
      {},
      '/api/v1/provisioning/alert-rules',
      [],
      expect.anything(),
      'list alert rules',
    );
  });

  it('shares a read in flight, keeps instances apart, and reads every time at 0 s', async () => {
    const lists = new AlertRuleLists(60_000);
    let answer!: (v: unknown) => void;
    const get = jest.fn(
      () =>
        new Promise(resolve => {
          answer = resolve;
        }),
    );
    const read = readOf('default', get);
    const first = lists.list(read);
    const second = lists.list(read);
    answer({ items: [rule('a')], dropped: 0 });
    expect(await first).toBe(await second);
    expect(get).toHaveBeenCalledTimes(1);

    const other = jest.fn(async () => ({ items: [rule('b')], dropped: 0 }));
    expect(await lists.list(readOf('eu', other))).toEqual([rule('b')]);

    const never = new AlertRuleLists(0);
    const each = jest.fn(async () => ({ items: [], dropped: 0 }));
    await never.list(readOf('default', each));
    await never.list(readOf('default', each));
    expect(each).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed read, and warns of malformed rules once per read', async () => {
    const lists = new AlertRuleLists(60_000);
    const get = jest
      .fn()
      .mockRejectedValueOnce(new Error('Grafana answered 502'))
      .mockResolvedValue({ items: [rule('a')], dropped: 2 });
    const read = readOf('default', get);
    await expect(lists.list(read)).rejects.toThrow('Grafana answered 502');
    expect(await lists.list(read)).toEqual([rule('a')]);
    await lists.list(read);
    expect(get).toHaveBeenCalledTimes(2);
    expect(read.logger.warn).toHaveBeenCalledTimes(1);
    expect(read.logger.warn).toHaveBeenCalledWith(
      'Grafana: skipped 2 malformed alert rules',
    );
  });
});

describe('alertmanagerFilter', () => {
  it('says one matcher as Alertmanager does, and nothing it could not say the same', () => {
    const filter = (selector: string) =>
      alertmanagerFilter(parseAlertLabelSelector(selector));
    expect(filter('service=payments-api')).toBe('service="payments-api"');
    expect(filter("team='core pay'")).toBe('team="core pay"');
    // Alertmanager ANDs its filters; a selector ORs its matchers.
    expect(filter('service=payments-api, service=ledger')).toBeUndefined();
    // Values that would need escaping are matched here only.
    expect(filter('service=a"b')).toBeUndefined();
    expect(filter('service=a\\b')).toBeUndefined();
    expect(filter('service=a}b')).toBeUndefined();
  });
});

describe('readFiringAlerts', () => {
  /** The client is faked whole: the caller it is handed is never used. */
  const noCaller = {} as UpstreamCaller;
  const firing = (uid: string, service: string) => ({
    labels: { __alert_rule_uid__: uid, alertname: uid, service },
    annotations: {},
    startsAt: '2026-12-01T10:00:00.000Z',
    endsAt: '2026-12-01T11:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    fingerprint: uid,
    status: { state: 'active', inhibitedBy: [], silencedBy: [] },
  });
  /** A target whose client answers every alert of the instance, whatever the filter. */
  function targetOf(selector: string, get: jest.Mock) {
    const client = {
      instance: { key: 'default', uiBaseUrl: 'https://grafana.example.com' },
      get,
    } as unknown as GrafanaClient;
    return {
      client,
      alerts: parseAlertLabelSelector(selector),
    } as unknown as GrafanaTarget;
  }
  /**
   * Reads with a client that answers every alert of the instance, whatever the filter; says
   * what was asked and the titles of the alerts read.
   */
  async function readWith(selector: string) {
    const get = jest.fn(async () => ({
      items: [firing('r1', 'payments-api'), firing('r2', 'ledger')],
      dropped: 0,
    }));
    const alerts = await readFiringAlerts(
      targetOf(selector, get),
      noCaller,
      'component:default/payments-api',
    );
    expect(get).toHaveBeenCalledTimes(1);
    const [caller, path, query, , name] = get.mock.calls[0] as unknown[];
    expect([caller, path, name]).toEqual([
      noCaller,
      '/api/alertmanager/grafana/api/v2/alerts',
      'list firing alerts',
    ]);
    return { query, titles: alerts.map(x => x.title).sort() };
  }
  const ACTIVE_ONLY = [
    ['active', 'true'],
    ['silenced', 'false'],
    ['inhibited', 'false'],
  ];

  it("asks for the entity's alerts only when one matcher says which, and matches the answer itself", async () => {
    const { query, titles } = await readWith('service=payments-api');
    expect(query).toEqual([
      ...ACTIVE_ONLY,
      ['filter', 'service="payments-api"'],
    ]);
    // An upstream that ignored the filter still yields this entity's alerts alone.
    expect(titles).toEqual(['r1']);
  });

  it('reads the whole list for a selector of several matchers', async () => {
    const { query, titles } = await readWith(
      'service=payments-api, service=ledger',
    );
    expect(query).toEqual(ACTIVE_ONLY);
    expect(titles).toEqual(['r1', 'r2']);
  });
});
