import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PAYMENTS,
  mockDashApi,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { UpstreamLinks } from './UpstreamLinks';

const FROM = Date.parse('2026-03-03T00:00:00Z');
const TO = Date.parse('2026-03-03T06:00:00Z');

describe('UpstreamLinks', () => {
  it('asks for the window on screen and lists the links by source, opening in a new tab', async () => {
    const api = mockDashApi();
    api.getLinks.mockResolvedValue({
      entityRef: PAYMENTS,
      from: new Date(FROM).toISOString(),
      to: new Date(TO).toISOString(),
      links: [
        {
          source: 'grafana',
          sourceTitle: 'Grafana',
          title: 'Grafana: Payments overview',
          url: 'https://grafana.acme.example/d/pay?from=1&to=2',
        },
        {
          source: 'kibana',
          sourceTitle: 'Kibana',
          title: 'Error logs in Discover',
          url: 'https://kibana.acme.example/app/discover#/x',
        },
      ],
    });
    await renderWithApis(
      <UpstreamLinks entityRef={PAYMENTS} from={FROM} to={TO} />,
      { api },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Open in…' }),
    );
    expect(api.getLinks).toHaveBeenCalledWith({
      entityRef: PAYMENTS,
      from: new Date(FROM),
      to: new Date(TO),
    });
    expect(screen.getByText('Grafana')).toBeInTheDocument();
    expect(screen.getByText('Kibana')).toBeInTheDocument();
    const dashboard = screen.getByRole('menuitem', {
      name: 'Grafana: Payments overview',
    });
    expect(dashboard).toHaveAttribute(
      'href',
      'https://grafana.acme.example/d/pay?from=1&to=2',
    );
    expect(dashboard).toHaveAttribute('target', '_blank');
    expect(dashboard).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it('shows nothing when no source offers links, or when asking failed', async () => {
    const api = mockDashApi();
    api.getLinks.mockResolvedValue({
      entityRef: PAYMENTS,
      from: '',
      to: '',
      links: [],
    });
    const first = await renderWithApis(
      <UpstreamLinks entityRef={PAYMENTS} from={FROM} to={TO} />,
      { api },
    );
    await waitFor(() => expect(api.getLinks).toHaveBeenCalled());
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Open in…' }),
      ).not.toBeInTheDocument(),
    );
    first.unmount();

    const failing = mockDashApi();
    failing.getLinks.mockRejectedValue(new Error('boom'));
    await renderWithApis(
      <UpstreamLinks entityRef={PAYMENTS} from={FROM} to={TO} />,
      { api: failing },
    );
    await waitFor(() => expect(failing.getLinks).toHaveBeenCalled());
    expect(
      screen.queryByRole('button', { name: 'Open in…' }),
    ).not.toBeInTheDocument();
  });
});
