import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PAYMENTS, renderWithApis } from '../../__testUtils__/fixtures';
import { DashTimeline } from './DashTimeline';

// In a file of its own: usePermission caches answers per permission for the whole module, and
// the other files' tests are allowed to refresh.
describe('DashTimeline: refresh permission denied', () => {
  it('disables refresh for users without dash.refresh', async () => {
    const { api } = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
      { permission: 'DENY' },
    );
    await screen.findByRole('listbox');
    const button = screen.getByRole('button', { name: 'Refresh sources' });
    await waitFor(() => expect(button).toBeDisabled());
    // The tooltip on the wrapper explains why.
    await userEvent.hover(button.parentElement!);
    expect(
      await screen.findByText('You are not allowed to refresh DASH sources'),
    ).toBeInTheDocument();
    expect(api.refresh).not.toHaveBeenCalled();
  });
});
