import { AuditEntry } from '@dash-suite/plugin-project-catalog-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PAYMENTS,
  mockProjectCatalogApi,
  renderWithApis,
  responseError,
} from '../../__testUtils__/fixtures';
import { AuditLogPage } from './AuditLogPage';
import { MAX_PAGES } from './useAuditPages';

const AUDIT = '/project-catalog/audit';

function entry(partial: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: '100',
    time: '2026-03-03T13:03:00Z',
    actor: 'user:default/ada',
    action: 'project.update',
    entityRef: PAYMENTS,
    field: 'tier',
    before: '1',
    after: '2',
    outcome: 'succeeded',
    ...partial,
  };
}

/**
 * `count` entries with ids counting down from `first`; without links (an actor that is no ref,
 * no entity), which keeps pages of them quick to render.
 */
const entries = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) =>
    entry({
      id: String(first - i),
      actor: 'scheduler',
      entityRef: undefined,
      field: 'tags',
      before: undefined,
      after: [`t${first - i}`],
    }),
  );

async function renderPage(
  api = mockProjectCatalogApi(),
  search = '',
): ReturnType<typeof renderWithApis> {
  return renderWithApis(<AuditLogPage />, { api, route: `${AUDIT}${search}` });
}

const input = (label: RegExp) =>
  screen.getByLabelText(label, { selector: 'input,textarea' });

const searchParams = () =>
  new URLSearchParams(screen.getByTestId('location-search').textContent!);

async function fill(element: HTMLElement, text: string) {
  await userEvent.click(element);
  await userEvent.paste(text);
}

const apply = () =>
  userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));

describe('AuditLogPage', () => {
  it('shows progress while the first page loads', async () => {
    const api = mockProjectCatalogApi();
    api.getAudit.mockReturnValue(new Promise(() => {}));
    await renderPage(api);
    expect(
      await screen.findByRole('status', { name: 'Loading the audit log' }),
    ).toBeInTheDocument();
    expect(api.getAudit).toHaveBeenCalledWith({ limit: 50 });
  });

  it('lists each entry: time, actor, action, entity, field, before → after, outcome and reason', async () => {
    const api = mockProjectCatalogApi();
    api.getAudit.mockResolvedValue({
      entries: [
        entry({
          id: '3',
          outcome: 'refused',
          before: undefined,
          // A refused write records the request's whole `set`.
          after: { tier: '3' },
          reason: 'tier is defined in file:components.yaml',
        }),
        entry({
          id: '2',
          actor: 'user:default/grace',
          field: 'tags',
          before: ['go'],
          after: ['go', 'grpc'],
          outcome: 'failed',
          reason: 'the database failed',
        }),
        entry({
          id: '1',
          action: 'discovery.scan',
          entityRef: undefined,
          field: undefined,
          before: undefined,
          after: { github: 'ok' },
        }),
      ],
    });
    await renderPage(api);
    const table = await screen.findByRole('table', { name: 'Audit log' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);

    const cells = within(rows[0]).getAllByRole('cell');
    const time = cells[0].querySelector('time')!;
    expect(time).toHaveTextContent('Tue 3 Mar 14:03');
    expect(time.getAttribute('title')).toMatch(/^2026-03-03 14:03 /);
    expect(within(cells[1]).getByRole('link')).toHaveTextContent('ada');
    expect(within(cells[1]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/user/ada',
    );
    expect(cells[2]).toHaveTextContent('project.update');
    expect(within(cells[3]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api',
    );
    expect(cells[4]).toHaveTextContent('Tier');
    expect(cells[5]).toHaveTextContent(/^3$/);
    expect(cells[6]).toHaveTextContent('refused');
    expect(cells[7]).toHaveTextContent(
      'tier is defined in file:components.yaml',
    );

    const second = within(rows[1]).getAllByRole('cell');
    expect(second[4]).toHaveTextContent('Tags');
    expect(second[5]).toHaveTextContent('go → go, grpc');
    expect(second[6]).toHaveTextContent('failed');
    expect(second[7]).toHaveTextContent('the database failed');

    const third = within(rows[2]).getAllByRole('cell');
    expect(third[2]).toHaveTextContent('discovery.scan');
    expect(third[3]).toHaveTextContent('—');
    expect(third[6]).toHaveTextContent('succeeded');
  });

  it('says when nothing was recorded yet', async () => {
    await renderPage();
    expect(
      await screen.findByText('Nothing has been recorded yet.'),
    ).toBeInTheDocument();
  });

  it('says when nothing matches the filters', async () => {
    await renderPage(mockProjectCatalogApi(), '?action=project.delete');
    expect(
      await screen.findByText('No entries match these filters.'),
    ).toBeInTheDocument();
  });

  it("shows the backend's message and retries", async () => {
    const api = mockProjectCatalogApi();
    api.getAudit.mockRejectedValueOnce(
      await responseError(503, {
        error: { name: 'ServiceUnavailableError', message: 'database down' },
      }),
    );
    await renderPage(api);
    expect(
      await screen.findByText(/Could not load the audit log: database down/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('Nothing has been recorded yet.'),
    ).toBeInTheDocument();
    expect(api.getAudit).toHaveBeenCalledTimes(2);
  });

  it('restores the filters of the URL and asks for exactly them', async () => {
    const api = mockProjectCatalogApi();
    await renderPage(
      api,
      `?${new URLSearchParams({
        actor: 'user:default/ada',
        entity: PAYMENTS,
        field: 'tier',
        action: 'project.update',
        from: '2026-03-01T09:00:00Z',
        to: '2026-03-02T09:00:00Z',
      })}`,
    );
    await screen.findByText('No entries match these filters.');
    expect(api.getAudit).toHaveBeenCalledTimes(1);
    expect(api.getAudit).toHaveBeenCalledWith({
      actor: 'user:default/ada',
      entityRef: PAYMENTS,
      field: 'tier',
      action: 'project.update',
      from: '2026-03-01T09:00:00Z',
      to: '2026-03-02T09:00:00Z',
      limit: 50,
    });
    expect(input(/^Actor/)).toHaveValue('user:default/ada');
    expect(input(/^Entity/)).toHaveValue(PAYMENTS);
    expect(input(/^Field/)).toHaveValue('tier');
    expect(input(/^Action/)).toHaveValue('project.update');
    // Shown in local time (Berlin).
    expect(input(/^From/)).toHaveValue('2026-03-01T10:00');
    expect(input(/^To/)).toHaveValue('2026-03-02T10:00');
  });

  it('puts applied filters in the URL and asks with them', async () => {
    const { api } = await renderPage();
    await screen.findByText('Nothing has been recorded yet.');
    await fill(input(/^Actor/), 'ada');
    await fill(input(/^Entity/), 'payments-api');
    await fill(input(/^Field/), 'tier');
    await fill(input(/^Action/), 'project.update');
    fireEvent.change(input(/^From/), {
      target: { value: '2026-03-01T10:00' },
    });
    fireEvent.change(input(/^To/), { target: { value: '2026-03-02T10:00' } });
    await apply();

    await waitFor(() => expect(api.getAudit).toHaveBeenCalledTimes(2));
    expect(api.getAudit).toHaveBeenLastCalledWith({
      actor: 'user:default/ada',
      entityRef: PAYMENTS,
      field: 'tier',
      action: 'project.update',
      from: '2026-03-01T09:00:00Z',
      to: '2026-03-02T09:00:00Z',
      limit: 50,
    });
    expect(Object.fromEntries(searchParams())).toEqual({
      actor: 'user:default/ada',
      entity: PAYMENTS,
      field: 'tier',
      action: 'project.update',
      from: '2026-03-01T09:00:00Z',
      to: '2026-03-02T09:00:00Z',
    });
  });

  it('offers the project fields in the field filter', async () => {
    const { api } = await renderPage();
    await screen.findByText('Nothing has been recorded yet.');
    await userEvent.click(input(/^Field/));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Lifecycle (lifecycle)' }),
    );
    await apply();
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith({
        field: 'lifecycle',
        limit: 50,
      }),
    );
    expect(searchParams().get('field')).toBe('lifecycle');
  });

  it('clears the filters', async () => {
    const { api } = await renderPage(
      mockProjectCatalogApi(),
      '?action=project.update',
    );
    await screen.findByText('No entries match these filters.');
    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith({ limit: 50 }),
    );
    expect(screen.getByTestId('location-search')).toHaveTextContent(/^$/);
    expect(input(/^Action/)).toHaveValue('');
  });

  describe('refuses bad filters inline, without asking', () => {
    async function applyBad(setup: () => Promise<void> | void) {
      const { api } = await renderPage();
      await screen.findByText('Nothing has been recorded yet.');
      await setup();
      await apply();
      return api;
    }

    it('an end before the start', async () => {
      const api = await applyBad(() => {
        fireEvent.change(input(/^From/), {
          target: { value: '2026-03-02T10:00' },
        });
        fireEvent.change(input(/^To/), {
          target: { value: '2026-03-01T10:00' },
        });
      });
      expect(await screen.findByText('must be after From')).toBeInTheDocument();
      expect(input(/^To/)).toHaveAttribute('aria-invalid', 'true');
      expect(api.getAudit).toHaveBeenCalledTimes(1);
      expect(screen.getByTestId('location-search')).toHaveTextContent(/^$/);
    });

    it('an entity that is no entity ref', async () => {
      const api = await applyBad(() =>
        fill(input(/^Entity/), 'component:default/'),
      );
      expect(
        await screen.findByText(
          '"component:default/" is not an entity reference such as component:default/payments-api',
        ),
      ).toBeInTheDocument();
      expect(input(/^Entity/)).toHaveAttribute('aria-invalid', 'true');
      expect(api.getAudit).toHaveBeenCalledTimes(1);
      expect(screen.getByTestId('location-search')).toHaveTextContent(/^$/);
    });

    it('an actor that is no entity ref', async () => {
      const api = await applyBad(() => fill(input(/^Actor/), 'Ada Lovelace'));
      expect(
        await screen.findByText(
          '"Ada Lovelace" is not an entity reference such as user:default/ada',
        ),
      ).toBeInTheDocument();
      expect(api.getAudit).toHaveBeenCalledTimes(1);
    });

    it('a field longer than the backend takes', async () => {
      const api = await applyBad(() => fill(input(/^Field/), 'f'.repeat(129)));
      expect(
        await screen.findByText('must be at most 128 characters'),
      ).toBeInTheDocument();
      expect(api.getAudit).toHaveBeenCalledTimes(1);
    });

    it('an action longer than the backend takes', async () => {
      const api = await applyBad(() => fill(input(/^Action/), 'a'.repeat(65)));
      expect(
        await screen.findByText('must be at most 64 characters'),
      ).toBeInTheDocument();
      expect(api.getAudit).toHaveBeenCalledTimes(1);
    });

    it('bad filters in a URL, which is then not asked at all', async () => {
      const api = mockProjectCatalogApi();
      await renderPage(
        api,
        '?entity=not%20a%20ref!&from=2026-03-02T09:00:00Z&to=2026-03-01T09:00:00Z',
      );
      expect(
        await screen.findByText(/The filters in the address are not valid/),
      ).toBeInTheDocument();
      expect(
        screen.getByText(
          '"not a ref!" is not an entity reference such as component:default/payments-api',
        ),
      ).toBeInTheDocument();
      expect(screen.getByText('must be after From')).toBeInTheDocument();
      expect(api.getAudit).not.toHaveBeenCalled();
    });
  });

  it('loads older entries with the cursor and stops on the last page', async () => {
    const api = mockProjectCatalogApi();
    api.getAudit
      .mockResolvedValueOnce({ entries: entries(100, 50), nextCursor: '51' })
      .mockResolvedValueOnce({ entries: entries(50, 3) });
    await renderPage(api, '?field=tags');
    const table = await screen.findByRole('table', { name: 'Audit log' });
    expect(within(table).getAllByRole('row')).toHaveLength(51);

    await userEvent.click(screen.getByRole('button', { name: 'Load older' }));
    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(54),
    );
    expect(api.getAudit).toHaveBeenLastCalledWith({
      field: 'tags',
      limit: 50,
      cursor: '51',
    });
    expect(within(table).getAllByRole('row')[53]).toHaveTextContent('t48');
    expect(
      screen.queryByRole('button', { name: 'Load older' }),
    ).not.toBeInTheDocument();
  });

  it('keeps an error of an older page below the rows, and retries it', async () => {
    const api = mockProjectCatalogApi();
    api.getAudit
      .mockResolvedValueOnce({ entries: entries(100, 2), nextCursor: '99' })
      .mockRejectedValueOnce(new Error('timeout'))
      .mockResolvedValueOnce({ entries: entries(98, 1) });
    await renderPage(api);
    await screen.findByRole('table', { name: 'Audit log' });
    await userEvent.click(screen.getByRole('button', { name: 'Load older' }));
    expect(
      await screen.findByText(/Could not load older entries: timeout/),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(3);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(4));
    expect(api.getAudit).toHaveBeenLastCalledWith({ limit: 50, cursor: '99' });
  });

  it(`keeps at most ${MAX_PAGES} pages of rows, letting the newest go`, async () => {
    const api = mockProjectCatalogApi();
    for (let p = 0; p <= MAX_PAGES; p++) {
      const first = 1000 - p * 50;
      api.getAudit.mockResolvedValueOnce({
        entries: entries(first, 50),
        nextCursor: String(first - 49),
      });
    }
    api.getAudit.mockResolvedValueOnce({ entries: entries(1000, 50) });
    await renderPage(api);
    const table = await screen.findByRole('table', { name: 'Audit log' });
    for (let p = 1; p <= MAX_PAGES; p++) {
      await userEvent.click(screen.getByRole('button', { name: 'Load older' }));
      await waitFor(() => expect(api.getAudit).toHaveBeenCalledTimes(p + 1));
    }
    await waitFor(() =>
      expect(
        screen.getByText('Newer entries were let go to keep the list short.'),
      ).toBeInTheDocument(),
    );
    // All of them are in the table, the rows in view are in the DOM.
    expect(table).toHaveAttribute('aria-rowcount', String(MAX_PAGES * 50 + 1));
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.length).toBeLessThan(120);
    expect(rows[0]).toHaveTextContent('t950');
    expect(rows[0]).toHaveAttribute('aria-rowindex', '2');

    await userEvent.click(screen.getByRole('button', { name: 'Show newest' }));
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'Audit log' })).getAllByRole(
          'row',
        ),
      ).toHaveLength(51),
    );
    expect(api.getAudit).toHaveBeenLastCalledWith({ limit: 50 });
    expect(screen.getByRole('table', { name: 'Audit log' })).toHaveAttribute(
      'aria-rowcount',
      '51',
    );
    expect(
      screen.queryByText('Newer entries were let go to keep the list short.'),
    ).not.toBeInTheDocument();
  }, 60_000);
});
