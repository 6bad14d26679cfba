import { hasDashAnnotation } from './annotations';

describe('hasDashAnnotation', () => {
  it('is true for an entity with any source annotation and false otherwise', () => {
    expect(
      hasDashAnnotation({
        metadata: { annotations: { 'github.com/project-slug': 'acme/a' } },
      }),
    ).toBe(true);
    expect(
      hasDashAnnotation({
        metadata: { annotations: { 'kibana/index-pattern': 'logs-*' } },
      }),
    ).toBe(true);
    expect(
      hasDashAnnotation({
        metadata: { annotations: { 'slack.com/channel-id': 'C0123ABCDEF' } },
      }),
    ).toBe(true);
    expect(
      hasDashAnnotation({
        metadata: { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } },
      }),
    ).toBe(false);
    expect(
      hasDashAnnotation({
        metadata: { annotations: { 'backstage.io/kubernetes-id': 'pay' } },
      }),
    ).toBe(true);
    expect(hasDashAnnotation({ metadata: {} })).toBe(false);
    expect(
      hasDashAnnotation({
        metadata: { annotations: { 'pagerduty.com/service-id': '' } },
      }),
    ).toBe(false);
  });
});
