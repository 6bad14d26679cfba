import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PAYMENTS,
  mockProjectCatalogApi,
  paymentsEntity,
  renderWithApis,
  responseError,
} from '../../__testUtils__/fixtures';
import { OnCallCard } from './OnCallCard';
import { summaryProblem } from './PageOnCallDialog';

/** The card with on-call data that never arrives: paging must not depend on it. */
async function renderPaging(
  options: Parameters<typeof renderWithApis>[1] = {},
) {
  const rendered = await renderWithApis(<OnCallCard />, options);
  rendered.dashApi.getOnCall.mockReturnValue(new Promise(() => {}));
  return rendered;
}

const openDialog = async () => {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Page on-call' }),
  );
  return screen.findByRole('dialog', { name: 'Page on-call' });
};

describe('Page on-call', () => {
  it('pages through the backend with the summary, severity and details, and shows the incident key', async () => {
    const api = mockProjectCatalogApi();
    api.pageOnCall.mockResolvedValue({
      entityRef: PAYMENTS,
      serviceId: 'PPAYAPI',
      dedupKey: 'backstage-req-1',
      message: 'Event processed',
      url: 'https://acme.pagerduty.com/service-directory/PPAYAPI',
    });
    await renderPaging({ api });
    const dialog = await openDialog();
    // Nothing is sent before the confirmation.
    expect(api.pageOnCall).not.toHaveBeenCalled();

    await userEvent.type(
      within(dialog).getByLabelText('Summary'),
      '  Checkout fails for every card  ',
    );
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Severity'),
      'error',
    );
    await userEvent.type(
      within(dialog).getByLabelText('Details'),
      'Since 03:12 UTC',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Page now' }),
    );

    expect(api.pageOnCall).toHaveBeenCalledWith(PAYMENTS, {
      summary: 'Checkout fails for every card',
      severity: 'error',
      details: 'Since 03:12 UTC',
    });
    expect(
      await within(dialog).findByText(/PagerDuty accepted the page/),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('backstage-req-1')).toBeInTheDocument();
    expect(
      within(dialog).getByRole('link', { name: /Open in PagerDuty/ }),
    ).toHaveAttribute(
      'href',
      'https://acme.pagerduty.com/service-directory/PPAYAPI',
    );
  });

  it('does not send an empty summary and says why', async () => {
    const api = mockProjectCatalogApi();
    await renderPaging({ api });
    const dialog = await openDialog();
    await userEvent.type(within(dialog).getByLabelText('Summary'), '   ');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Page now' }),
    );
    expect(within(dialog).getByText(/Say what is wrong/)).toBeInTheDocument();
    expect(api.pageOnCall).not.toHaveBeenCalled();
  });

  it('limits the summary to what PagerDuty keeps', () => {
    expect(summaryProblem('x'.repeat(1024))).toBeUndefined();
    expect(summaryProblem('x'.repeat(1025))).toMatch(/At most 1024/);
    expect(summaryProblem('')).toMatch(/Say what is wrong/);
  });

  it("shows the backend's reason when the page fails, and keeps the form to try again", async () => {
    const api = mockProjectCatalogApi();
    api.pageOnCall.mockRejectedValue(
      await responseError(503, {
        error: {
          name: 'ServiceUnavailableError',
          message: "PagerDuty's Events API answered 502; nobody was paged",
        },
      }),
    );
    await renderPaging({ api });
    const dialog = await openDialog();
    await userEvent.type(within(dialog).getByLabelText('Summary'), 'Down');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Page now' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Nobody was paged: PagerDuty's Events API answered 502; nobody was paged",
    );
    expect(within(dialog).getByLabelText('Summary')).toHaveValue('Down');
    api.pageOnCall.mockResolvedValue({
      entityRef: PAYMENTS,
      dedupKey: 'k2',
      message: 'Event processed',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Page now' }),
    );
    expect(await within(dialog).findByText('k2')).toBeInTheDocument();
  });

  it('is disabled, with the reason, for a user without the permission', async () => {
    await renderPaging({ permission: 'DENY' });
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Page on-call' }),
      ).toBeDisabled(),
    );
    expect(screen.getByText(/project-catalog.oncall.page/)).toBeInTheDocument();
  });

  it('is not offered for an entity that names no PagerDuty service', async () => {
    const entity = paymentsEntity();
    delete entity.metadata.annotations!['pagerduty.com/service-id'];
    await renderPaging({ entity });
    expect(await screen.findByText('On call')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Page on-call' })).toBeNull();
  });
});
