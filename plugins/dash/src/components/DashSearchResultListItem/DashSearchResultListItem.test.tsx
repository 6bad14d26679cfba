import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { DashSearchResultListItem } from './DashSearchResultListItem';

const LOCATION =
  '/catalog/default/component/payments-api/dash?from=2026-11-22T11%3A00%3A00Z&to=2026-11-22T13%3A00%3A00Z&event=github%3Adeploy-42';

describe('DashSearchResultListItem', () => {
  it('shows the kind, entity, version, environment and time, and links the tab at the event', async () => {
    await renderInTestApp(
      <DashSearchResultListItem
        result={
          {
            title: 'Deploy v2.14.0 to production',
            text: 'deploy of component:default/payments-api version v2.14.0 in production',
            location: LOCATION,
            entityRef: 'component:default/payments-api',
            eventId: 'github:deploy-42',
            kind: 'deploy',
            source: 'github',
            startTime: '2026-11-22T12:00:00.000Z',
            severity: 'info',
            version: 'v2.14.0',
            environment: 'production',
          } as any
        }
      />,
    );
    const link = screen.getByRole('link', {
      name: 'Deploy v2.14.0 to production',
    });
    expect(link.getAttribute('href')).toBe(LOCATION);
    expect(screen.getByLabelText('Kind: Deploy')).toBeInTheDocument();
    expect(screen.getByLabelText('Entity: payments-api')).toBeInTheDocument();
    expect(screen.getByLabelText('Version: v2.14.0')).toBeInTheDocument();
    expect(
      screen.getByLabelText('Environment: production'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Source: GitHub')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Time: 2026-11-22 /)).toBeInTheDocument();
  });

  it('leaves out what the event does not have', async () => {
    await renderInTestApp(
      <DashSearchResultListItem
        result={
          {
            title: 'Payments API error rate above 5%',
            text: '',
            location: '/catalog/default/component/payments-api/dash',
            entityRef: 'component:default/payments-api',
            kind: 'incident',
            source: 'pagerduty',
            startTime: '2026-11-22T12:00:00.000Z',
          } as any
        }
      />,
    );
    expect(screen.getByLabelText('Kind: Incident')).toBeInTheDocument();
    expect(screen.queryByLabelText(/^Version:/)).toBeNull();
    expect(screen.queryByLabelText(/^Environment:/)).toBeNull();
  });
});
