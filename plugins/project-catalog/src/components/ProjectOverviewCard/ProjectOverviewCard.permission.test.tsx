import { screen, waitFor } from '@testing-library/react';
import { renderWithApis } from '../../__testUtils__/fixtures';
import { ProjectOverviewCard } from './ProjectOverviewCard';

// In a file of its own: usePermission caches answers per permission for the whole module.
describe('ProjectOverviewCard: edit permission denied', () => {
  it('disables Edit for users without project-catalog.metadata.update on the entity', async () => {
    await renderWithApis(<ProjectOverviewCard />, { permission: 'DENY' });
    expect(await screen.findByText('service')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Edit project' }),
      ).toBeDisabled(),
    );
    expect(
      screen.getByRole('button', { name: 'Export as YAML' }),
    ).toBeEnabled();
  });
});
