import type { DashDeploysResponse } from '@dash-suite/plugin-dash-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DAY,
  HOUR,
  MIN,
  REF,
  ago,
  entity,
  event,
  mockDashApi,
  renderCard,
  source,
} from '../cardStates/__testUtils__/dashCards';
import { DeploysCard } from './DeploysCard';

const commit = (c: string) => c.repeat(40);

const prod = (n: number, sha: string | undefined, at: number, extra = {}) =>
  event({
    id: `github:deploy-${n}`,
    startTime: ago(at),
    status: 'success',
    actor: { name: `dev${n}` },
    url: `https://github.com/acme/payments-api/deployments/${n}`,
    attributes: {
      environment: 'production',
      version: `v2.${n}.0`,
      ...(sha ? { sha, shortSha: sha.slice(0, 7) } : {}),
    },
    ...extra,
  });

const DEPLOYS = [
  prod(14, commit('e'), 2 * HOUR),
  prod(13, commit('d'), DAY),
  prod(12, undefined, 2 * DAY, { status: 'failure' }),
  prod(11, commit('b'), 3 * DAY),
  prod(10, commit('a'), 4 * DAY),
  event({
    id: 'changes:staging-1',
    source: 'changes',
    kind: 'change',
    startTime: ago(30 * MIN),
    status: 'success',
    actor: { name: 'deployctl' },
    attributes: {
      changeType: 'deploy',
      environment: 'staging',
      version: 'v2.15.0-rc1',
    },
  }),
];

function response(
  partial: Partial<DashDeploysResponse> = {},
): DashDeploysResponse {
  return {
    entityRef: REF,
    from: ago(7 * DAY),
    to: ago(0),
    deploys: DEPLOYS,
    sources: [source({ id: 'github', title: 'GitHub' })],
    ...partial,
  };
}

const SLUG = { 'github.com/project-slug': 'acme/payments-api' };

async function render(
  resp: DashDeploysResponse | Error = response(),
  annotations: Record<string, string> = SLUG,
) {
  const getDeploys = jest.fn(async () => {
    if (resp instanceof Error) throw resp;
    return resp;
  });
  await renderCard(<DeploysCard />, {
    api: mockDashApi({ getDeploys }),
    entity: entity(annotations),
  });
  return getDeploys;
}

const compareLinks = () =>
  screen
    .queryAllByRole('link', { name: /^compare with/ })
    .map(a => a.getAttribute('href'));

describe('DeploysCard', () => {
  it('shows a loading state while the backend answers', async () => {
    await renderCard(<DeploysCard />);
    expect(
      screen.getByRole('status', { name: 'Loading deploys' }),
    ).toBeInTheDocument();
  });

  it('shows the latest deploy per environment and the few before it', async () => {
    const getDeploys = await render();
    expect(getDeploys).toHaveBeenCalledWith({ entityRef: REF });
    const sections = await screen.findAllByRole('region', {
      name: /^Deploys to/,
    });
    // The environment with the newest deploy first.
    expect(sections.map(s => s.getAttribute('aria-label'))).toEqual([
      'Deploys to staging',
      'Deploys to production',
    ]);
    const production = sections[1];
    expect(
      within(production).getByRole('link', { name: /^v2\.14\.0/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/payments-api/deployments/14',
    );
    expect(within(production).getByText('eeeeeee')).toBeInTheDocument();
    expect(within(production).getByText('by dev14')).toBeInTheDocument();
    expect(within(production).getByText('2 h ago')).toBeInTheDocument();
    const earlier = within(production).getByRole('list', {
      name: 'Earlier deploys',
    });
    // Three before the latest; the fifth is left out.
    expect(within(earlier).getAllByRole('listitem')).toHaveLength(3);
    expect(within(earlier).getByText('failure')).toBeInTheDocument();
    expect(
      within(production).queryByRole('link', { name: /^v2\.10\.0/ }),
    ).toBeNull();
    expect(screen.getByText('v2.15.0-rc1')).toBeInTheDocument();
  });

  it('links consecutive deploys to a GitHub compare of what they shipped', async () => {
    await render();
    await screen.findAllByRole('region', { name: /^Deploys to/ });
    expect(compareLinks()).toEqual([
      // v2.13.0 -> v2.14.0 by commit
      `https://github.com/acme/payments-api/compare/${commit('d')}...${commit(
        'e',
      )}`,
      // v2.12.0 carries no commit: compared by version
      `https://github.com/acme/payments-api/compare/v2.12.0...${commit('d')}`,
      `https://github.com/acme/payments-api/compare/${commit('b')}...v2.12.0`,
      // the oldest shown still has a predecessor in the answer
      `https://github.com/acme/payments-api/compare/${commit('a')}...${commit(
        'b',
      )}`,
    ]);
  });

  it.each([
    ['no slug', {}],
    [
      'a host in the slug',
      { 'github.com/project-slug': 'evil.example.com/acme/payments-api' },
    ],
    ['a dot-dot repository', { 'github.com/project-slug': 'acme/..' }],
    [
      'a URL as slug',
      { 'github.com/project-slug': 'https://evil.example.com/x' },
    ],
    [
      'a query in the slug',
      { 'github.com/project-slug': 'acme/payments-api?x=1' },
    ],
  ])('shows no compare link with %s', async (_, annotations) => {
    await render(response(), annotations);
    await screen.findAllByRole('region', { name: /^Deploys to/ });
    expect(compareLinks()).toEqual([]);
  });

  it('says which window had no deploys', async () => {
    await render(response({ deploys: [] }));
    expect(
      await screen.findByText('No deploys in the last 7 days.'),
    ).toBeInTheDocument();
  });

  it('shows a degraded source with its age and keeps the deploys it has', async () => {
    await render(
      response({
        sources: [
          source({
            id: 'github',
            title: 'GitHub',
            status: 'stale',
            fetchedAt: ago(3 * HOUR),
            message:
              'Showing what was fetched 3 h ago; refreshing in the background',
          }),
        ],
      }),
    );
    expect(
      await screen.findByText(/GitHub stale, data from 3 h ago/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Deploys to production' }),
    ).toBeInTheDocument();
  });

  it('keeps an error inside the card', async () => {
    await render(new Error('Request failed with 404 Not Found'));
    expect(
      await screen.findByText(
        /Could not load deploys: Request failed with 404/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('retries after an error', async () => {
    const getDeploys = jest
      .fn()
      .mockRejectedValueOnce(new Error('boom'))
      .mockResolvedValueOnce(response());
    await renderCard(<DeploysCard />, { api: mockDashApi({ getDeploys }) });
    await userEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('region', { name: 'Deploys to production' }),
    ).toBeInTheDocument();
  });
});
