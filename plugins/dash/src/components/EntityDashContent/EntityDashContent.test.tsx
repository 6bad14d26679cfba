import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor } from '@testing-library/react';
import { PAYMENTS, renderWithApis } from '../../__testUtils__/fixtures';
import { EntityDashContent } from './EntityDashContent';

describe('EntityDashContent', () => {
  it('shows the timeline of the page’s entity', async () => {
    const { api } = await renderWithApis(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'payments-api',
            annotations: { 'pagerduty.com/service-id': 'PPAYAPI' },
          },
        }}
      >
        <EntityDashContent />
      </EntityProvider>,
    );
    await waitFor(() =>
      expect(api.getTimeline).toHaveBeenCalledWith(
        expect.objectContaining({ entityRefs: [PAYMENTS] }),
      ),
    );
    expect(await screen.findByRole('listbox')).toBeInTheDocument();
  });
});
