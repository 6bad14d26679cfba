import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Sandbox, startSandbox } from '@dash-suite/upstream-sandbox';
import {
  expectedDiscoveries,
  sandboxDiscoveryConfig,
  sandboxEntities,
} from '../../__testUtils__/discoverySandbox';
import { CatalogIndex } from './CatalogIndex';
import { readDiscoverySettings } from './config';
import { GithubScanner, githubSuggestionId } from './GithubScanner';
import { PagerDutyScanner } from './PagerDutyScanner';
import { UpstreamProblem } from './types';

jest.setTimeout(60_000);

describe('discovery scanners against the upstream sandbox', () => {
  let sandbox: Sandbox;
  let index: CatalogIndex;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 42 });
    index = CatalogIndex.fromEntities(sandboxEntities(sandbox));
  });
  afterAll(() => sandbox.stop());
  afterEach(() => {
    sandbox.setFaults('github', undefined);
    sandbox.setFaults('pagerduty', undefined);
  });

  function scanners(discovery = {}) {
    const config = new ConfigReader(sandboxDiscoveryConfig(sandbox, discovery));
    const settings = readDiscoverySettings(config);
    return {
      github: new GithubScanner(config, settings, logger),
      pagerduty: new PagerDutyScanner(settings),
    };
  }

  it('finds exactly the repositories the catalog lacks, with type, owner, language and links', async () => {
    const { repos, skippedRepos } = expectedDiscoveries(sandbox);
    expect(repos.length).toBeGreaterThanOrEqual(3);
    expect(skippedRepos.length).toBeGreaterThanOrEqual(1);

    const found = await scanners().github.scan(index, new Map());
    expect(found.map(f => f.id).sort()).toEqual(
      repos.map(r => githubSuggestionId('github.com', r.fullName)).sort(),
    );
    for (const repo of repos) {
      const s = found.find(
        f => f.annotations['github.com/project-slug'] === repo.fullName,
      )!;
      expect({
        id: s.id,
        type: s.type,
        owner: s.owner,
        language: s.language,
      }).toEqual({
        id: s.id,
        type: repo.type,
        owner: `group:default/${repo.ownerTeam}`,
        language: repo.language,
      });
      expect(s.name).toBe(repo.name);
      expect(s.evidence.type).toBeTruthy();
      // CODEOWNERS when the repository has one, else the team with admin access.
      expect(s.evidence.owner).toMatch(
        repo.codeowners
          ? /^\.github\/CODEOWNERS: \* @acme\//
          : /has admin access/,
      );
      expect(s.links.map(l => l.title)).toEqual(['Repository', 'Actions']);
      expect(s.links[1].url).toMatch(new RegExp(`/${repo.fullName}/actions$`));
    }
  });

  it('does not look closer at repositories whose suggestion was decided', async () => {
    const { repos } = expectedDiscoveries(sandbox);
    const decided = githubSuggestionId('github.com', repos[0].fullName);
    sandbox.resetCounters();
    const found = await scanners().github.scan(
      index,
      new Map([[decided, 'decided']]),
    );
    expect(found.find(f => f.id === decided)?.type).toBeUndefined();
    const paths = sandbox.requests({ upstream: 'github' }).map(r => r.path);
    expect(paths.some(p => p.startsWith(`/repos/${repos[0].fullName}/`))).toBe(
      false,
    );
    expect(paths.some(p => p.startsWith(`/repos/${repos[1].fullName}/`))).toBe(
      true,
    );
  });

  it('finds exactly the PagerDuty services no entity names, owned by their team', async () => {
    const { services } = expectedDiscoveries(sandbox);
    expect(services.length).toBeGreaterThanOrEqual(1);
    const found = await scanners().pagerduty.scan(index);
    expect(found.map(f => f.id).sort()).toEqual(
      services.map(s => `pagerduty:${s.id}`).sort(),
    );
    for (const svc of services) {
      const s = found.find(f => f.id === `pagerduty:${svc.id}`)!;
      expect(s).toMatchObject({
        name: svc.name,
        type: 'service',
        owner: `group:default/${svc.team}`,
        annotations: { 'pagerduty.com/service-id': svc.id },
      });
      expect(s.evidence.owner).toMatch(/^PagerDuty team /);
    }
  });

  it.each([
    ['rate-limited', { rateLimit: { rate: 1, retryAfterSec: 30 } }, 300],
    [
      'rate-limited',
      { rateLimit: { rate: 1, retryAfterSec: 30, status: 403 } },
      300,
    ],
    ['unauthorized', { unauthorized: true }, 300],
    ['timed-out', { hangRate: 1 }, 300],
    // A 5xx is retried once, a second later.
    ['error', { errorRate: 1 }, 5000],
  ] as const)(
    'reports %s when GitHub answers with %j',
    async (status, faults, timeoutMs) => {
      sandbox.setFaults('github', faults);
      const error = await scanners({ timeoutMs })
        .github.scan(index, new Map())
        .catch(e => e);
      expect(error).toBeInstanceOf(UpstreamProblem);
      expect({ status: error.status, message: error.message }).toEqual({
        status,
        message: expect.stringContaining('GitHub'),
      });
    },
  );

  it.each([
    ['unauthorized', { unauthorized: true }],
    ['rate-limited', { rateLimit: { rate: 1, retryAfterSec: 1 } }],
    ['timed-out', { hangRate: 1 }],
  ] as const)(
    'reports %s when PagerDuty answers with %j',
    async (status, faults) => {
      sandbox.setFaults('pagerduty', faults);
      const error = await scanners({ timeoutMs: 300 })
        .pagerduty.scan(index)
        .catch(e => e);
      expect(error).toBeInstanceOf(UpstreamProblem);
      expect(error.status).toBe(status);
    },
  );

  it('says what is missing in config instead of scanning', () => {
    const config = new ConfigReader({});
    const settings = readDiscoverySettings(config);
    expect(
      new GithubScanner(config, settings, logger).configurationProblem(),
    ).toMatch(/projectCatalog\.discovery\.github\.organizations/);
    expect(new PagerDutyScanner(settings).configurationProblem()).toMatch(
      /projectCatalog\.discovery\.pagerduty\.token/,
    );
  });
});
