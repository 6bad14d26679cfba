import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PAYMENTS,
  mockProjectCatalogApi,
  paymentsEntity,
  projectViewOf,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { AuditLogCard } from '../AuditLogCard';
import { QuickLinksCard } from '../QuickLinksCard';
import { ProjectOverviewCard } from './ProjectOverviewCard';

/**
 * The cards of one entity share its writes: an owner who edits the overview and then the quick
 * links makes the second save on the version the first one wrote (no conflict with their own
 * change), and the recent changes card lists the first change at once.
 */
describe('the Project Catalog cards of one entity together', () => {
  it('start the next edit from the version the last save wrote, and refresh the recent changes', async () => {
    const view = projectViewOf(
      paymentsEntity(),
      {},
      { system: { owner: 'unset', value: undefined } },
    );
    const api = mockProjectCatalogApi(view);
    api.updateProject.mockImplementation(async (_ref, req) => ({
      ...view,
      version: req.version + 1,
    }));
    await renderWithApis(
      <>
        <ProjectOverviewCard />
        <QuickLinksCard />
        <AuditLogCard />
      </>,
      { api },
    );
    await waitFor(() => expect(api.getAudit).toHaveBeenCalledTimes(1));

    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit project' }),
    );
    const edit = await screen.findByRole('dialog');
    await userEvent.type(within(edit).getByLabelText('System'), 'checkout');
    await userEvent.click(within(edit).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.updateProject).toHaveBeenLastCalledWith(
      PAYMENTS,
      expect.objectContaining({ version: 0 }),
    );
    // The recent changes card asked again.
    await waitFor(() => expect(api.getAudit).toHaveBeenCalledTimes(2));

    await userEvent.click(screen.getByRole('button', { name: 'Edit links' }));
    const links = await screen.findByRole('dialog');
    await userEvent.click(
      within(links).getByRole('button', { name: 'Add link' }),
    );
    await userEvent.type(within(links).getByLabelText(/Title/), 'Runbook');
    await userEvent.type(
      within(links).getByLabelText(/URL/),
      'https://runbooks.acme.example/pay',
    );
    await userEvent.click(within(links).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.updateProject).toHaveBeenLastCalledWith(
      PAYMENTS,
      expect.objectContaining({ version: 1 }),
    );
  });
});
