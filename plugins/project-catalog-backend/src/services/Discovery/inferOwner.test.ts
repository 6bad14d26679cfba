import { codeownersTeam, groupOfTeam, strongestTeam } from './inferOwner';

describe('codeownersTeam', () => {
  it('takes the first team of the last rule for everything', () => {
    const text = [
      '# Owners',
      '*        @acme/team-old',
      '/docs/   @acme/team-docs',
      '*        @alice @acme/team-payments @acme/team-sre  # the current owners',
      '',
    ].join('\n');
    expect(codeownersTeam(text)).toBe('team-payments');
  });

  it('gives no team for users only, or without a rule for everything', () => {
    expect(codeownersTeam('* @alice bob@acme.example\n')).toBeUndefined();
    expect(codeownersTeam('/src/ @acme/team-x\n')).toBeUndefined();
    expect(codeownersTeam('')).toBeUndefined();
  });
});

describe('strongestTeam', () => {
  it('prefers the highest permission, then the first listed', () => {
    expect(
      strongestTeam([
        { slug: 'readers', permission: 'pull' },
        { slug: 'sre', permission: 'maintain' },
        { slug: 'owners', permission: 'admin' },
        { slug: 'admins', permission: 'admin' },
      ]),
    ).toEqual({ slug: 'owners', permission: 'admin' });
    expect(strongestTeam([])).toBeUndefined();
  });
});

it('names the group after the team slug', () => {
  expect(groupOfTeam('Team-SRE')).toBe('group:default/team-sre');
});
