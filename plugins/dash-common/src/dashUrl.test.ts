import { dashEventWindow, dashUrl } from './dashUrl';

describe('dashUrl', () => {
  const window = {
    fromMs: Date.parse('2026-11-22T12:00:00Z'),
    toMs: Date.parse('2026-11-22T18:30:00.250Z'),
  };

  it('links the entity tab with the window and the event, as the tab reads them', () => {
    const url = new URL(
      dashUrl(
        'https://backstage.acme.example/',
        'component:default/payments-api',
        window,
        {
          eventId: 'changes:deploy-7#user:default/mei',
        },
      ),
    );
    expect(url.origin + url.pathname).toBe(
      'https://backstage.acme.example/catalog/default/component/payments-api/dash',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: '2026-11-22T12:00:00Z',
      to: '2026-11-22T18:30:00.250Z',
      event: 'changes:deploy-7#user:default/mei',
    });
  });

  it('marks an event on a dependency and is a path without app.baseUrl', () => {
    const link = dashUrl(undefined, 'Component:Team-A/Ledger', window, {
      eventId: 'github:1',
      dependencies: true,
    });
    expect(link.startsWith('/catalog/Team-A/component/Ledger/dash?')).toBe(
      true,
    );
    const params = new URLSearchParams(link.split('?')[1]);
    expect(params.get('deps')).toBe('1');
    expect(params.get('event')).toBe('github:1');
  });
});

describe('dashEventWindow', () => {
  it('opens an hour either side of an event, and of its end when it has one', () => {
    expect(dashEventWindow({ startTime: '2026-11-22T12:00:00Z' })).toEqual({
      fromMs: Date.parse('2026-11-22T11:00:00Z'),
      toMs: Date.parse('2026-11-22T13:00:00Z'),
    });
    expect(
      dashEventWindow({
        startTime: '2026-11-22T12:00:00Z',
        endTime: '2026-11-22T14:30:00Z',
      }),
    ).toEqual({
      fromMs: Date.parse('2026-11-22T11:00:00Z'),
      toMs: Date.parse('2026-11-22T15:30:00Z'),
    });
  });
});
