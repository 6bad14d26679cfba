import { screen, waitFor } from '@testing-library/react';
import { renderWithApis } from '../../__testUtils__/fixtures';
import { QuickLinksCard } from './QuickLinksCard';

// In a file of its own: usePermission caches answers per permission for the whole module.
describe('QuickLinksCard: edit permission denied', () => {
  it('shows the links but no way to edit them', async () => {
    await renderWithApis(<QuickLinksCard />, { permission: 'DENY' });
    expect(
      await screen.findByRole('link', { name: 'Repository' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Edit links' })).toBeDisabled(),
    );
  });
});
