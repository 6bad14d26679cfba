import { paymentsEntity, projectViewOf } from '../__testUtils__/fixtures';
import { conflictRows } from './projectForm';

describe('conflictRows', () => {
  const yamlLink = {
    url: 'https://github.com/acme/payments-api',
    title: 'Repository',
  };
  const runbook = {
    url: 'https://runbooks.acme.example/pay',
    title: 'Runbook',
  };
  const status = { url: 'https://status.acme.example', title: 'Status' };
  /** payments-api whose YAML has a link, with `ui` links added in the UI, at `version`. */
  const withLinks = (ui: object[], version: number) =>
    projectViewOf(
      paymentsEntity(),
      { version, updatedBy: 'user:default/grace' },
      {
        links: {
          owner: 'yaml',
          value: [yamlLink, ...ui],
          overlay: {
            value: ui,
            updatedBy: 'user:default/grace',
            updatedAt: '2026-03-01T00:00:00Z',
            shadowed: false,
          },
        },
      },
    );

  it("compares the UI's quick links, not YAML's links appended to them", () => {
    const base = withLinks([], 0);
    const current = withLinks([status], 1);
    const rows = conflictRows(base, current, { set: { links: [runbook] } });
    expect(rows).toEqual([
      {
        key: 'links',
        label: 'Quick links',
        theirs: expect.stringContaining('Status'),
        yours: expect.stringContaining('Runbook'),
      },
    ]);
    expect(rows[0].theirs).not.toContain('Repository');
  });

  it('lists a field someone else changed although you did not touch it', () => {
    const base = withLinks([], 0);
    const current = withLinks([status], 1);
    expect(conflictRows(base, current, { set: { tier: '2' } })).toEqual([
      expect.objectContaining({ key: 'tier', yours: '2' }),
      expect.objectContaining({
        key: 'links',
        yours: '(not changed by you)',
      }),
    ]);
  });
});
