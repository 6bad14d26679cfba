import { DashClient } from '@dash-suite/plugin-dash-common';
import { dashApiRef } from './api';
import { DashPage, EntityDashContent, dashPlugin, isDashAvailable } from '.';

describe('dash plugin (legacy frontend system)', () => {
  it('registers the DASH client for dashApiRef', async () => {
    expect(dashPlugin.getId()).toBe('dash');
    const factory = [...dashPlugin.getApis()].find(
      f => f.api.id === dashApiRef.id,
    )!;
    const fetchMock = jest.fn(async () => ({
      ok: true,
      json: async () => ({ events: [] }),
    }));
    const client = factory.factory({
      discoveryApi: { getBaseUrl: async () => 'http://backstage/api/dash' },
      fetchApi: { fetch: fetchMock },
    }) as DashClient;
    expect(client).toBeInstanceOf(DashClient);
    await client.getTimeline({
      entityRefs: ['component:default/a'],
      from: '2026-03-03T00:00:00Z',
      to: '2026-03-03T06:00:00Z',
    });
    expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toBe(
      'http://backstage/api/dash/timeline?entityRef=component%3Adefault%2Fa&from=2026-03-03T00%3A00%3A00Z&to=2026-03-03T06%3A00%3A00Z',
    );
  });

  it('exports the page, the entity content and the availability check', () => {
    expect(DashPage).toBeDefined();
    expect(EntityDashContent).toBeDefined();
    expect(
      isDashAvailable({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'a',
          annotations: { 'github.com/project-slug': 'acme/a' },
        },
      }),
    ).toBe(true);
    expect(
      isDashAvailable({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'a' },
      }),
    ).toBe(false);
  });
});
