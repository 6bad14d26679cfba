import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { GithubSource } from './GithubSource';
import { component, testContext } from './__testUtils__/context';

const INTEGRATIONS = {
  github: [
    {
      host: 'github.com',
      apiBaseUrl: 'http://127.0.0.1:1',
      token: 'sandbox-github-token',
    },
  ],
};

function source(github?: JsonObject) {
  const logger = mockServices.logger.mock();
  const s = GithubSource.fromConfig(
    new ConfigReader({
      integrations: INTEGRATIONS,
      ...(github ? { dash: { sources: { github } } } : {}),
    }),
    { logger },
  );
  return { s, logger };
}

const repo = (slug: string) =>
  component('svc', { 'github.com/project-slug': slug });

describe('GithubSource allow-list (dash.sources.github.allow.repositories)', () => {
  it('allows the repositories matching a pattern, case-insensitively as GitHub does', () => {
    const { s } = source({
      allow: { repositories: ['acme/*', 'Tools/ci-runner'] },
    });
    for (const slug of [
      'acme/payments-api',
      'ACME/Payments-API',
      'tools/CI-runner',
    ]) {
      expect({ slug, problem: s.accessProblem(repo(slug)) }).toEqual({
        slug,
        problem: undefined,
      });
    }
    for (const slug of [
      'acmecorp/payments-api',
      'victim/private',
      'tools/ci-runner2',
      'xacme/a',
    ]) {
      expect(s.accessProblem(repo(slug))).toBe(
        `Repository ${slug} was not found or is not accessible with the configured GitHub credentials; check github.com/project-slug`,
      );
    }
  });

  it('treats characters other than * literally', () => {
    const { s } = source({ allow: { repositories: ['acme/svc.api'] } });
    expect(s.accessProblem(repo('acme/svc.api'))).toBeUndefined();
    expect(s.accessProblem(repo('acme/svcxapi'))).toBeDefined();
  });

  it('allows nothing with an empty list, and everything without one, with a startup warning', () => {
    const none = source({ allow: { repositories: [] } });
    expect(none.s.accessProblem(repo('acme/a'))).toBeDefined();
    expect(none.logger.warn).not.toHaveBeenCalled();

    const open = source();
    expect(open.s.accessProblem(repo('anyone/anything'))).toBeUndefined();
    expect(open.logger.warn).toHaveBeenCalledTimes(1);
    expect(open.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /no allow-list: every entity's github\.com\/project-slug annotation is trusted with the backend's GitHub credentials.*Set dash\.sources\.github\.allow\.repositories/,
      ),
    );
  });

  it('does not warn when GitHub has no credentials to misuse', () => {
    const logger = mockServices.logger.mock();
    GithubSource.fromConfig(new ConfigReader({}), { logger });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('degrades to not-configured on an allow-list that is not a list of strings', () => {
    const { s } = source({ allow: { repositories: 'acme/*' } });
    expect(s.configurationProblem(repo('acme/a'))).toMatch(
      /dash\.sources\.github\.allow\.repositories must be a list of strings/,
    );
  });

  it('offers no links and makes no call for a repository outside the list', async () => {
    const { s } = source({ allow: { repositories: ['acme/*'] } });
    expect(s.getDeepLinks(repo('victim/private'))).toEqual([]);
    expect(s.getDeepLinks(repo('acme/a'))).toHaveLength(5);
    const ctx = testContext();
    const call = jest.spyOn(ctx.upstream, 'call');
    await expect(
      s.fetchEvents(
        {
          entity: repo('victim/private'),
          entityRef: 'component:default/svc',
          from: new Date(0),
          to: new Date(),
        },
        ctx,
      ),
    ).rejects.toMatchObject({ status: 'not-allowed' });
    expect(call).not.toHaveBeenCalled();
  });
});
