import { screen } from '@testing-library/react';
import { renderWithApis } from '../../__testUtils__/fixtures';
import { CreateProjectPage } from './CreateProjectPage';

// In a file of its own: usePermission caches answers per permission for the whole module.
describe('CreateProjectPage: create permission denied', () => {
  it('explains instead of showing the form', async () => {
    await renderWithApis(<CreateProjectPage />, { permission: 'DENY' });
    expect(
      await screen.findByText(/You are not allowed to create projects/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('form')).not.toBeInTheDocument();
  });
});
