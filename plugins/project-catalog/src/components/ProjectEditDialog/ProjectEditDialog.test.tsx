import { ProjectView } from '@dash-suite/plugin-project-catalog-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PAYMENTS,
  YAML_FILE,
  mockProjectCatalogApi,
  paymentsEntity,
  projectViewOf,
  renderWithApis,
  responseError,
} from '../../__testUtils__/fixtures';
import { ProjectEditDialog } from './ProjectEditDialog';

/** payments-api with tier and tags edited in the UI (version 4), the rest from YAML. */
function uiView(partial: Partial<ProjectView> = {}, tier = '2'): ProjectView {
  const entity = paymentsEntity({ labels: {}, tags: undefined });
  return projectViewOf(
    entity,
    { version: 4, ...partial },
    {
      tier: { owner: 'ui', value: tier },
      tags: { owner: 'ui', value: ['go'] },
    },
  );
}

async function open(view: ProjectView, api = mockProjectCatalogApi(view)) {
  const onClose = jest.fn();
  const onViewChange = jest.fn();
  await renderWithApis(
    <ProjectEditDialog
      entityRef={PAYMENTS}
      view={view}
      onClose={onClose}
      onViewChange={onViewChange}
    />,
    { api },
  );
  const dialog = await screen.findByRole('dialog');
  return { api, onClose, onViewChange, dialog };
}

const field = (dialog: HTMLElement, label: string) =>
  within(dialog).getByLabelText(label, {
    exact: false,
    selector: 'input,textarea',
  });

describe('ProjectEditDialog', () => {
  it('shows YAML-owned fields read-only, naming the file that defines them', async () => {
    const { dialog } = await open(uiView());
    const yaml = within(dialog).getByRole('region', {
      name: `Defined in ${YAML_FILE}`,
    });
    expect(yaml).toHaveTextContent(
      `Defined in ${YAML_FILE}; change them there`,
    );
    const owner = field(yaml, 'Owner');
    expect(owner).toBeDisabled();
    expect(owner).toHaveValue('group:default/team-payments');
    expect(field(yaml, 'System')).toBeDisabled();
    // The fields the UI owns come first, editable, and are not in the YAML section.
    expect(field(dialog, 'Tier')).toBeEnabled();
    expect(within(yaml).queryByLabelText('Tier')).not.toBeInTheDocument();
  });

  it('validates each field with the shared schemas, inline, and sends nothing while one is bad', async () => {
    const { dialog, api } = await open(uiView());
    await userEvent.clear(field(dialog, 'Tags'));
    await userEvent.type(field(dialog, 'Tags'), 'go, Bad_Tag');
    await userEvent.clear(field(dialog, 'Tier'));
    await userEvent.type(field(dialog, 'Tier'), 'tier one!');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(dialog).findByText(/"Bad_Tag" must be lower-case letters/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/must be a label value/),
    ).toBeInTheDocument();
    expect(api.updateProject).not.toHaveBeenCalled();
    // Fixing a field clears its message.
    await userEvent.clear(field(dialog, 'Tags'));
    await userEvent.type(field(dialog, 'Tags'), 'go, grpc');
    expect(within(dialog).queryByText(/"Bad_Tag"/)).not.toBeInTheDocument();
  });

  it('saves { version, set, unset } and hands the new view on', async () => {
    const view = uiView();
    const saved = { ...view, version: 5 };
    const api = mockProjectCatalogApi(view);
    api.updateProject.mockResolvedValue(saved);
    const { dialog, onClose, onViewChange } = await open(view, api);
    await userEvent.clear(field(dialog, 'Tier'));
    await userEvent.type(field(dialog, 'Tags'), ', grpc');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(api.updateProject).toHaveBeenCalledWith(PAYMENTS, {
      version: 4,
      set: { tags: ['go', 'grpc'] },
      unset: ['tier'],
    });
    expect(onViewChange).toHaveBeenCalledWith(saved);
  });

  it('closes without a request when nothing changed', async () => {
    const { dialog, api, onClose } = await open(uiView());
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(onClose).toHaveBeenCalled();
    expect(api.updateProject).not.toHaveBeenCalled();
  });

  it("shows the other person's change on a version conflict and re-applies mine on top", async () => {
    const view = uiView();
    const current = uiView(
      {
        version: 5,
        updatedBy: 'user:default/grace',
        updatedAt: '2026-03-03T09:00:00Z',
      },
      '3',
    );
    const api = mockProjectCatalogApi(view);
    api.updateProject
      .mockRejectedValueOnce(
        await responseError(409, {
          error: {
            name: 'ConflictError',
            message: 'The project was changed by user:default/grace',
          },
          response: { statusCode: 409 },
          current,
        }),
      )
      .mockResolvedValueOnce({ ...current, version: 6 });
    const { dialog, onClose, onViewChange } = await open(view, api);
    await userEvent.type(field(dialog, 'Tags'), ', pci');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    const conflict = await within(dialog).findByRole('alert', {
      name: 'Version conflict',
    });
    expect(conflict).toHaveTextContent(
      'user:default/grace changed this project',
    );
    expect(conflict).toHaveTextContent('(version 5)');
    const rows = within(conflict).getAllByRole('row');
    // Tier: they changed it to 3, I did not touch it. Tags: mine.
    expect(rows.map(r => r.textContent)).toEqual([
      'FieldTheirs (saved)Yours',
      'Tier3(not changed by you)',
      'Tagsgogo, pci',
    ]);

    await userEvent.click(
      within(conflict).getByRole('button', { name: 'Apply mine on top' }),
    );
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(api.updateProject).toHaveBeenLastCalledWith(PAYMENTS, {
      version: 5,
      set: { tags: ['go', 'pci'] },
      unset: [],
    });
    expect(onViewChange).toHaveBeenCalledWith({ ...current, version: 6 });
  });

  it('reads the current project when a 409 comes without it, and can keep theirs', async () => {
    const view = uiView();
    const current = uiView(
      { version: 7, updatedBy: 'user:default/grace' },
      '3',
    );
    const api = mockProjectCatalogApi(view);
    // The body as Backstage's error handler would not recognise it: no `response` member.
    api.updateProject.mockRejectedValueOnce(
      await responseError(409, {
        error: { name: 'ConflictError', message: 'changed' },
        current,
      }),
    );
    api.getProject.mockResolvedValue(current);
    const { dialog, onViewChange } = await open(view, api);
    await userEvent.clear(field(dialog, 'Tier'));
    await userEvent.type(field(dialog, 'Tier'), '1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    const conflict = await within(dialog).findByRole('alert', {
      name: 'Version conflict',
    });
    expect(within(conflict).getAllByRole('row')[1]).toHaveTextContent('Tier31');
    await userEvent.click(
      within(conflict).getByRole('button', { name: 'Keep theirs' }),
    );
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(field(dialog, 'Tier')).toHaveValue('3');
    expect(onViewChange).toHaveBeenCalledWith(current);
    expect(api.updateProject).toHaveBeenCalledTimes(1);
  });

  it('shows the message of a 409 on a field the YAML now defines', async () => {
    const view = uiView();
    const api = mockProjectCatalogApi(view);
    const message = `tier is defined in ${YAML_FILE} (field tier); change it there, or remove it from the YAML to edit it here`;
    api.updateProject.mockRejectedValue(
      await responseError(409, {
        error: { name: 'ConflictError', message },
        response: { statusCode: 409 },
      }),
    );
    const { dialog, onClose } = await open(view, api);
    await userEvent.clear(field(dialog, 'Tier'));
    await userEvent.type(field(dialog, 'Tier'), '1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(onClose).not.toHaveBeenCalled();
  });

  it('requires type, lifecycle and owner on a project created in the UI', async () => {
    const view = projectViewOf(
      paymentsEntity(),
      { origin: 'ui', version: 1 },
      {
        owner: {
          owner: 'ui',
          value: 'group:default/team-payments',
          definedIn: undefined,
        },
      },
    );
    const { dialog, api } = await open(view);
    await userEvent.clear(field(dialog, 'Owner'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(dialog).findByText('must not be empty'),
    ).toBeInTheDocument();
    expect(api.updateProject).not.toHaveBeenCalled();
  });
});
