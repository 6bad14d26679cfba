import { mockServices } from '@backstage/backend-test-utils';
import { AlertRuleLists } from './alertRules';
import { GrafanaClient } from './GrafanaClient';
import { GrafanaRead } from './target';

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
