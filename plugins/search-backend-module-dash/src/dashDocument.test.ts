import { dashDocument } from './dashDocument';

describe('dashDocument', () => {
  it('makes a deploy findable by version, entity and environment, linking the tab at the event', () => {
    const doc = dashDocument({
      id: 'github:deploy-42',
      source: 'github',
      kind: 'deploy',
      title: 'Deploy v2.14.0 to production',
      severity: 'info',
      startTime: '2026-11-22T12:00:00.000Z',
      entityRef: 'component:default/payments-api',
      status: 'success',
      attributes: { version: 'v2.14.0', environment: 'production', sha: 'abc' },
    });
    expect(doc).toEqual({
      title: 'Deploy v2.14.0 to production',
      text: 'deploy of component:default/payments-api version v2.14.0 in production from github at 2026-11-22T12:00:00.000Z (success).',
      location:
        '/catalog/default/component/payments-api/dash?from=2026-11-22T11%3A00%3A00Z&to=2026-11-22T13%3A00%3A00Z&event=github%3Adeploy-42',
      authorization: { resourceRef: 'component:default/payments-api' },
      entityRef: 'component:default/payments-api',
      eventId: 'github:deploy-42',
      kind: 'deploy',
      source: 'github',
      startTime: '2026-11-22T12:00:00.000Z',
      severity: 'info',
      status: 'success',
      version: 'v2.14.0',
      environment: 'production',
    });
  });

  it("puts a change's type and details (a feature-flag key) in the text", () => {
    const doc = dashDocument({
      id: 'changes:flag-1#user:default/mei',
      source: 'changes',
      kind: 'change',
      title: 'Turned off new-checkout',
      severity: 'info',
      startTime: '2026-11-22T12:00:00.000Z',
      endTime: '2026-11-22T12:30:00.000Z',
      entityRef: 'component:default/checkout',
      attributes: {
        changeType: 'feature-flag',
        details: { flag: 'new-checkout-flow', percent: 0, nested: { x: 1 } },
      },
    });
    expect(doc.text).toBe(
      'feature-flag change of component:default/checkout from changes at 2026-11-22T12:00:00.000Z. flag new-checkout-flow percent 0',
    );
    expect(doc.changeType).toBe('feature-flag');
    expect(doc).not.toHaveProperty('version');
    // The window runs to an hour after the change's end.
    expect(new URL(doc.location, 'http://x').searchParams.get('to')).toBe(
      '2026-11-22T13:30:00Z',
    );
  });
});
