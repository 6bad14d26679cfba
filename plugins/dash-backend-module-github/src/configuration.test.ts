import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { GithubSource } from './GithubSource';
import { parseProjectSlug } from './target';
import { component } from './__testUtils__/context';

const logger = mockServices.logger.mock();

function source(data: JsonObject) {
  return GithubSource.fromConfig(new ConfigReader(data), { logger });
}

const SANDBOX = {
  github: [
    {
      host: 'github.com',
      apiBaseUrl: 'http://127.0.0.1:7102',
      token: 'sandbox-github-token',
    },
    {
      host: 'ghe.acme.example',
      apiBaseUrl: 'https://ghe.acme.example/api/v3',
      token: 't',
    },
  ],
};

describe('GithubSource configuration', () => {
  it('applies to entities with the slug annotation only', () => {
    const s = source({ integrations: SANDBOX });
    expect(
      s.appliesTo(component('a', { 'github.com/project-slug': 'acme/a' })),
    ).toBe(true);
    expect(s.appliesTo(component('b', {}))).toBe(false);
    expect(
      s.appliesTo(component('c', { 'github.com/project-slug': '  ' })),
    ).toBe(false);
  });

  it.each([
    ['acme/payments-api', { owner: 'acme', repo: 'payments-api' }],
    [' acme/payments.api ', { owner: 'acme', repo: 'payments.api' }],
    ['emu_acme/repo_1', { owner: 'emu_acme', repo: 'repo_1' }],
    ['acme', undefined],
    ['acme/a/b', undefined],
    ['../..', undefined],
    ['acme/..', undefined],
    ['acme/.', undefined],
    ['-acme/x', undefined],
    ['acme/x?y', undefined],
    ['acme/x#y', undefined],
    ['acme/%2e%2e', undefined],
    ['acme/ x', undefined],
  ])('parses the slug %p', (value, expected) => {
    expect(parseProjectSlug(value)).toEqual(expected);
  });

  it('explains an invalid slug', () => {
    const s = source({ integrations: SANDBOX });
    expect(
      s.configurationProblem(
        component('x', { 'github.com/project-slug': 'acme/../../admin' }),
      ),
    ).toMatch(
      /github\.com\/project-slug must be 'owner\/repo'.*acme\/\.\.\/\.\.\/admin/,
    );
  });

  it('uses the integration of dash.sources.github.host with its apiBaseUrl, accepting http on loopback', () => {
    const s = source({ integrations: SANDBOX });
    const entity = component('a', { 'github.com/project-slug': 'acme/a' });
    expect(s.configurationProblem(entity)).toBeUndefined();
    expect(s.resolve(entity).target).toMatchObject({
      host: 'github.com',
      apiBaseUrl: 'http://127.0.0.1:7102',
      uiBaseUrl: 'https://github.com',
      slug: 'acme/a',
    });
    const ghe = source({
      integrations: SANDBOX,
      dash: { sources: { github: { host: 'ghe.acme.example' } } },
    });
    expect(ghe.resolve(entity).target).toMatchObject({
      host: 'ghe.acme.example',
      apiBaseUrl: 'https://ghe.acme.example/api/v3',
      uiBaseUrl: 'https://ghe.acme.example',
    });
  });

  it('takes the host from backstage.io/source-location only when it is a configured integration', () => {
    const s = source({ integrations: SANDBOX });
    const onGhe = component('a', {
      'github.com/project-slug': 'acme/a',
      'backstage.io/source-location':
        'url:https://ghe.acme.example/acme/a/tree/main/',
    });
    expect(s.resolve(onGhe).target?.apiBaseUrl).toBe(
      'https://ghe.acme.example/api/v3',
    );
    const elsewhere = component('b', {
      'github.com/project-slug': 'acme/b',
      'backstage.io/source-location':
        'url:http://169.254.169.254/latest/meta-data/',
    });
    expect(s.resolve(elsewhere).target).toMatchObject({
      host: 'github.com',
      apiBaseUrl: 'http://127.0.0.1:7102',
    });
    const garbage = component('c', {
      'github.com/project-slug': 'acme/c',
      'backstage.io/source-location': 'not a url',
    });
    expect(s.resolve(garbage).target?.host).toBe('github.com');
  });

  it('says which config is missing instead of failing', () => {
    const entity = component('a', { 'github.com/project-slug': 'acme/a' });
    // No integrations at all: Backstage adds github.com without credentials.
    expect(source({}).configurationProblem(entity)).toMatch(
      /integrations\.github entry for 'github\.com' has neither a token nor apps/,
    );
    expect(
      source({
        integrations: SANDBOX,
        dash: { sources: { github: { host: 'git.other.example' } } },
      }).configurationProblem(entity),
    ).toMatch(
      /No integrations\.github entry for host 'git\.other\.example' \(dash\.sources\.github\.host\)/,
    );
    expect(
      source({
        integrations: { github: [{ host: 'ghe.acme.example', token: 't' }] },
        dash: { sources: { github: { host: 'ghe.acme.example' } } },
      }).configurationProblem(entity),
    ).toMatch(/'ghe\.acme\.example' needs an http\(s\) apiBaseUrl/);
  });

  it('degrades to not-configured on an invalid config instead of throwing', () => {
    const entity = component('a', { 'github.com/project-slug': 'acme/a' });
    const bad = source({
      integrations: SANDBOX,
      dash: { sources: { github: { maxPages: 0 } } },
    });
    expect(bad.configurationProblem(entity)).toMatch(
      /dash\.sources\.github\.maxPages must be a whole number from 1 to 100/,
    );
    const badHost = source({
      integrations: { github: [{ host: 'not a host', token: 't' }] },
    });
    expect(badHost.configurationProblem(entity)).toMatch(
      /GitHub source configuration is invalid/,
    );
  });

  it('links to the repository pages in the web UI', () => {
    const s = source({ integrations: SANDBOX });
    const links = s.getDeepLinks(
      component('a', { 'github.com/project-slug': 'acme/a' }),
    );
    expect(links.map(l => l.url)).toEqual([
      'https://github.com/acme/a',
      'https://github.com/acme/a/pulls?q=is%3Apr+is%3Amerged',
      'https://github.com/acme/a/releases',
      'https://github.com/acme/a/deployments',
      'https://github.com/acme/a/actions',
    ]);
  });
});
