import { screen, waitFor } from '@testing-library/react';
import {
  discoveryStatus,
  pagerDutySuggestion,
  suggestion,
  suggestionPage,
} from '../../__testUtils__/discovery';
import {
  mockProjectCatalogApi,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { DiscoveryPage } from './DiscoveryPage';

// In a file of its own: usePermission caches answers per permission for the whole module.
describe('DiscoveryPage: review permission denied', () => {
  it('shows the queue without the controls, and says which permission they need', async () => {
    const api = mockProjectCatalogApi();
    api.getDiscoveryStatus.mockResolvedValue(discoveryStatus());
    api.listSuggestions.mockResolvedValue(
      suggestionPage([suggestion(), pagerDutySuggestion()]),
    );
    await renderWithApis(<DiscoveryPage />, { api, permission: 'DENY' });
    expect(
      await screen.findByRole('table', { name: 'Suggestions' }),
    ).toHaveTextContent('returns-service');
    await waitFor(() =>
      expect(screen.getByText(/You can browse the queue\./)).toHaveTextContent(
        'project-catalog.discovery.review',
      ),
    );
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('toolbar', { name: 'Bulk actions' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Adopt' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Scan now' })).toBeDisabled();
    expect(
      screen.getByText(
        'Scanning needs the permission project-catalog.discovery.review.',
      ),
    ).toBeInTheDocument();
  });
});
