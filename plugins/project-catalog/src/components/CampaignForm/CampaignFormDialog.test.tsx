import { Campaign } from '@dash-suite/plugin-project-catalog-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CHECK_TYPES, campaign } from '../../__testUtils__/campaigns';
import {
  MockProjectCatalogApi,
  mockProjectCatalogApi,
  renderWithApis,
  responseError,
} from '../../__testUtils__/fixtures';
import { CampaignFormDialog } from './CampaignFormDialog';

const field = (label: RegExp) =>
  screen.getByLabelText(label, { selector: 'input,textarea' });

/**
 * Replaces a field's text at once (a change event, as a paste would), which keeps these long
 * forms fast on a loaded machine.
 */
async function fill(label: RegExp, text: string) {
  fireEvent.change(field(label), { target: { value: text } });
}

/** Picks a check type (MUI's select opens on mouse down). */
async function chooseCheckType(title: string) {
  fireEvent.mouseDown(screen.getByRole('button', { name: /Check type/ }));
  fireEvent.click(await screen.findByRole('option', { name: title }));
  await waitFor(() =>
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
  );
}

const VALID: Record<string, string> = {
  Id: 'node-22-ci',
  Title: 'CI runs on Node 22',
  Description: 'Move the CI images to Node 22.',
  Owner: 'group:default/team-platform',
  Starts: '2027-01-01',
  Deadline: '2027-03-31T17:00:00Z',
  Kinds: 'component',
  Types: 'service, website',
  'Owning groups': '',
  'Check settings \\(JSON\\)': '{"annotation": "acme.com/node-version"}',
};

async function renderForm(
  options: {
    api?: MockProjectCatalogApi;
    campaign?: Campaign;
    /** Whether the check types are listed (else the test sets their answer). */
    checkTypes?: boolean;
  } = {},
) {
  const api = options.api ?? mockProjectCatalogApi();
  if (options.checkTypes !== false) {
    api.getCampaignCheckTypes.mockResolvedValue(CHECK_TYPES);
  }
  const onClose = jest.fn();
  const onSaved = jest.fn();
  const onCurrent = jest.fn();
  const result = await renderWithApis(
    <CampaignFormDialog
      campaign={options.campaign}
      onClose={onClose}
      onSaved={onSaved}
      onCurrent={onCurrent}
    />,
    { api },
  );
  await screen.findByRole('dialog');
  await waitFor(() => expect(api.getCampaignCheckTypes).toHaveBeenCalled());
  return { ...result, api, onClose, onSaved, onCurrent };
}

/** Fills every field with a valid value, but for the overrides. */
async function fillValid(overrides: Record<string, string> = {}) {
  const values = { ...VALID, ...overrides };
  for (const [label, value] of Object.entries(values)) {
    if (label === 'checkType') continue;
    await fill(new RegExp(`^${label}`), value);
  }
  if (!('checkType' in overrides)) {
    await chooseCheckType('Entity field or annotation');
  }
}

const submitCreate = () =>
  userEvent.click(screen.getByRole('button', { name: 'Create campaign' }));

describe('CampaignFormDialog: the rules checked before sending', () => {
  const rules: [string, Record<string, string>, RegExp, string][] = [
    ['the id is required', { Id: '' }, /^Id/, 'is required'],
    [
      'the id is lower-case letters, digits and dashes',
      { Id: 'Node_22' },
      /^Id/,
      'must be lower-case letters, digits and single dashes, e.g. node-22-ci',
    ],
    [
      'the id has no double or trailing dashes',
      { Id: 'node--22-' },
      /^Id/,
      'must be lower-case letters, digits and single dashes, e.g. node-22-ci',
    ],
    [
      'the id is at most 63 characters',
      { Id: 'a'.repeat(64) },
      /^Id/,
      'must be at most 63 characters',
    ],
    ['the title is required', { Title: '  ' }, /^Title/, 'is required'],
    [
      'the title is at most 200 characters',
      { Title: 't'.repeat(201) },
      /^Title/,
      'must be at most 200 characters',
    ],
    [
      'the description is at most 4000 characters',
      { Description: 'd'.repeat(4001) },
      /^Description/,
      'must be at most 4000 characters',
    ],
    ['the owner is required', { Owner: '' }, /^Owner/, 'is required'],
    [
      'the owner is an entity reference',
      { Owner: 'Team Platform!' },
      /^Owner/,
      'must be an entity reference such as group:name',
    ],
    [
      'the owner is a group',
      { Owner: 'user:default/ada' },
      /^Owner/,
      'must be a group, e.g. team-sre or group:default/team-sre',
    ],
    [
      'the start is an ISO 8601 date',
      { Starts: '01/02/2027' },
      /^Starts/,
      'must be an ISO 8601 date or date-time, e.g. 2027-01-31 or 2027-01-31T17:00:00Z',
    ],
    ['the deadline is required', { Deadline: '' }, /^Deadline/, 'is required'],
    [
      'the deadline is after the start',
      { Starts: '2027-04-01', Deadline: '2027-03-31T17:00:00Z' },
      /^Deadline/,
      'must be after the start',
    ],
    [
      'a scope key has at most 50 values',
      {
        Types: Array.from({ length: 51 }, (_, i) => `t${i}`).join(','),
      },
      /^Types/,
      'must have at most 50 values',
    ],
    [
      'the check settings are JSON',
      { 'Check settings \\(JSON\\)': '{"annotation": ' },
      /^Check settings/,
      'must be valid JSON',
    ],
    [
      'the check settings are a JSON object',
      { 'Check settings \\(JSON\\)': '["annotation"]' },
      /^Check settings/,
      'must be a JSON object',
    ],
    [
      'the check settings are at most 8000 characters',
      {
        'Check settings \\(JSON\\)': JSON.stringify({
          matches: 'x'.repeat(8000),
        }),
      },
      /^Check settings/,
      'must be at most 8000 characters as JSON',
    ],
  ];

  it.each(rules)('%s', async (_rule, overrides, label, message) => {
    const { api } = await renderForm();
    await fillValid(overrides);
    await submitCreate();
    expect(field(label)).toHaveAccessibleDescription(
      expect.stringContaining(message),
    );
    expect(api.createCampaign).not.toHaveBeenCalled();
  });

  it('the scope names at least one key', async () => {
    const { api } = await renderForm();
    await fillValid({ Kinds: '', Types: ' , ' });
    await submitCreate();
    expect(
      screen.getByText(
        'Name at least one of kinds, types, tags, owning groups, systems or lifecycles',
      ),
    ).toBeInTheDocument();
    expect(api.createCampaign).not.toHaveBeenCalled();
  });

  it('the check type is required', async () => {
    const { api } = await renderForm();
    await fillValid({ checkType: '' });
    await submitCreate();
    const select = screen.getByRole('button', { name: /Check type/ });
    expect(select.closest('.MuiFormControl-root')).toHaveTextContent(
      'is required',
    );
    expect(api.createCampaign).not.toHaveBeenCalled();
  });

  it('clears a field problem once the field is changed', async () => {
    await renderForm();
    await fillValid({ Id: 'Bad Id' });
    await submitCreate();
    expect(field(/^Id/)).toHaveAccessibleDescription(/must be lower-case/);
    await fill(/^Id/, 'good-id');
    expect(field(/^Id/)).not.toHaveAccessibleDescription(/must be lower-case/);
  });
});

describe('CampaignFormDialog: creating', () => {
  it('sends exactly the campaign the form describes', async () => {
    const api = mockProjectCatalogApi();
    const created = campaign({ id: 'node-22-ci', version: 1 });
    api.createCampaign.mockResolvedValue(created);
    const { onSaved, onClose } = await renderForm({ api });
    await fillValid({
      Id: '  node-22-ci ',
      Types: 'service, website, service,',
      'Owning groups': 'team-payments',
      Tags: 'java',
    });
    await submitCreate();
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(created));
    expect(onClose).toHaveBeenCalled();
    expect(api.createCampaign).toHaveBeenCalledWith({
      id: 'node-22-ci',
      title: 'CI runs on Node 22',
      description: 'Move the CI images to Node 22.',
      owner: 'group:default/team-platform',
      startsAt: '2027-01-01',
      deadline: '2027-03-31T17:00:00Z',
      scope: {
        kind: ['component'],
        type: ['service', 'website'],
        tags: ['java'],
        owner: ['team-payments'],
      },
      check: {
        type: 'entity-field',
        config: { annotation: 'acme.com/node-version' },
      },
    });
  });

  it("shows what the check type's settings are", async () => {
    await renderForm();
    await chooseCheckType('Set by the owners');
    expect(field(/^Check settings/)).toHaveAccessibleDescription(
      'Settings: instructions.',
    );
    expect(
      screen.getByText(
        "The entity's owners set the status (pending, in progress, done) by hand, with a note.",
      ),
    ).toBeInTheDocument();
  });

  it("shows the backend's 400 message, and each part on its field", async () => {
    const api = mockProjectCatalogApi();
    const message =
      'check.config.annotation: must not be empty; deadline: must be after startsAt';
    api.createCampaign.mockRejectedValue(
      await responseError(400, {
        response: { statusCode: 400 },
        error: { name: 'InputError', message },
      }),
    );
    const { onSaved } = await renderForm({ api });
    await fillValid();
    await submitCreate();
    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(field(/^Check settings/)).toHaveAccessibleDescription(
      'annotation: must not be empty',
    );
    expect(field(/^Deadline/)).toHaveAccessibleDescription(
      'must be after startsAt',
    );
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('names a taken id on the id field', async () => {
    const api = mockProjectCatalogApi();
    const message = 'Campaign node-22-ci already exists';
    api.createCampaign.mockRejectedValue(
      await responseError(409, {
        response: { statusCode: 409 },
        error: { name: 'ConflictError', message },
      }),
    );
    await renderForm({ api });
    await fillValid();
    await submitCreate();
    await waitFor(() =>
      expect(field(/^Id/)).toHaveAccessibleDescription(message),
    );
  });

  it('takes a check type typed in when the types cannot be listed', async () => {
    const api = mockProjectCatalogApi();
    api.getCampaignCheckTypes.mockRejectedValue(new Error('503'));
    api.createCampaign.mockResolvedValue(campaign({ id: 'node-22-ci' }));
    await renderForm({ api, checkTypes: false });
    expect(await screen.findByText(/could not be listed/)).toBeInTheDocument();
    await fillValid({ checkType: '' });
    await fill(/^Check type/, 'dash-fact');
    await submitCreate();
    await waitFor(() =>
      expect(api.createCampaign).toHaveBeenCalledWith(
        expect.objectContaining({
          check: {
            type: 'dash-fact',
            config: { annotation: 'acme.com/node-version' },
          },
        }),
      ),
    );
  });
});

describe('CampaignFormDialog: editing', () => {
  it('keeps the id, and sends only what changed with the version read', async () => {
    const api = mockProjectCatalogApi();
    const current = campaign();
    const saved = campaign({
      title: 'PagerDuty for every service',
      version: 4,
    });
    api.updateCampaign.mockResolvedValue(saved);
    const { onSaved } = await renderForm({ api, campaign: current });
    expect(field(/^Id/)).toBeDisabled();
    expect(field(/^Id/)).toHaveValue('pagerduty-service');
    expect(field(/^Deadline/)).toHaveValue(current.deadline);
    expect(field(/^Kinds/)).toHaveValue('component');
    expect(
      JSON.parse((field(/^Check settings/) as HTMLTextAreaElement).value),
    ).toEqual({ annotation: 'pagerduty.com/service-id' });
    await fill(/^Title/, 'PagerDuty for every service');
    await fill(/^Lifecycles/, 'production');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
    expect(api.updateCampaign).toHaveBeenCalledWith('pagerduty-service', {
      version: 3,
      title: 'PagerDuty for every service',
      scope: {
        kind: ['component'],
        type: ['service'],
        lifecycle: ['production'],
      },
    });
  });

  it('closes without a request when nothing changed', async () => {
    const { api, onClose } = await renderForm({ campaign: campaign() });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onClose).toHaveBeenCalled();
    expect(api.updateCampaign).not.toHaveBeenCalled();
  });

  it('sends an emptied description as empty, to remove it', async () => {
    const api = mockProjectCatalogApi();
    api.updateCampaign.mockResolvedValue(campaign({ description: undefined }));
    await renderForm({ api, campaign: campaign() });
    await fill(/^Description/, '');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.updateCampaign).toHaveBeenCalledWith('pagerduty-service', {
        version: 3,
        description: '',
      }),
    );
  });

  it('on a stale version shows the current campaign and applies the change on top of it', async () => {
    const api = mockProjectCatalogApi();
    const theirs = campaign({
      title: 'PagerDuty, everywhere',
      version: 4,
      updatedBy: 'user:default/grace',
    });
    const saved = campaign({ title: 'Mine', version: 5 });
    api.updateCampaign
      .mockRejectedValueOnce(
        await responseError(409, {
          response: { statusCode: 409 },
          error: {
            name: 'ConflictError',
            message: 'Campaign pagerduty-service is at version 4, not 3',
          },
          current: theirs,
        }),
      )
      .mockResolvedValueOnce(saved);
    const { onSaved } = await renderForm({ api, campaign: campaign() });
    await fill(/^Title/, 'Mine');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    const conflict = await screen.findByRole('alert', {
      name: 'Version conflict',
    });
    expect(conflict).toHaveTextContent(
      /user:default\/grace changed this campaign .* \(version 4\) while you were editing/,
    );
    const row = within(
      within(conflict).getByRole('table', { name: 'Their values and yours' }),
    )
      .getAllByRole('row')
      .map(r => r.textContent);
    expect(row).toEqual([
      'FieldTheirs (saved)Yours',
      'TitlePagerDuty, everywhereMine',
    ]);
    await userEvent.click(
      within(conflict).getByRole('button', { name: 'Apply mine on top' }),
    );
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
    expect(api.updateCampaign).toHaveBeenLastCalledWith('pagerduty-service', {
      version: 4,
      title: 'Mine',
    });
  });

  it('reads the campaign again when a 409 comes without it, and can keep theirs', async () => {
    const api = mockProjectCatalogApi();
    const theirs = campaign({ title: 'PagerDuty, everywhere', version: 4 });
    api.updateCampaign.mockRejectedValue(
      await responseError(409, {
        response: { statusCode: 409 },
        error: { name: 'ConflictError', message: 'stale version' },
      }),
    );
    api.getCampaign.mockResolvedValue(theirs);
    const { onCurrent } = await renderForm({ api, campaign: campaign() });
    await fill(/^Title/, 'Mine');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    const conflict = await screen.findByRole('alert', {
      name: 'Version conflict',
    });
    expect(api.getCampaign).toHaveBeenCalledWith('pagerduty-service');
    await userEvent.click(
      within(conflict).getByRole('button', { name: 'Keep theirs' }),
    );
    expect(field(/^Title/)).toHaveValue('PagerDuty, everywhere');
    expect(onCurrent).toHaveBeenCalledWith(theirs);
    expect(
      screen.queryByRole('alert', { name: 'Version conflict' }),
    ).not.toBeInTheDocument();
  });

  it("shows a 409 that is not about the version (a campaign from app-config) as the backend's message", async () => {
    const api = mockProjectCatalogApi();
    const message =
      'Campaign pagerduty-service is defined in app-config (projectCatalog.campaigns.definitions); change it there';
    api.updateCampaign.mockRejectedValue(
      await responseError(409, {
        response: { statusCode: 409 },
        error: { name: 'ConflictError', message },
      }),
    );
    api.getCampaign.mockResolvedValue(campaign());
    await renderForm({ api, campaign: campaign() });
    await fill(/^Title/, 'Mine');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(
      screen.queryByRole('alert', { name: 'Version conflict' }),
    ).not.toBeInTheDocument();
  });

  it('does not save a campaign from app-config', async () => {
    const { api } = await renderForm({
      campaign: campaign({ origin: 'config' }),
    });
    expect(
      screen.getByText(/defined in app-config .*; change it there/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(api.updateCampaign).not.toHaveBeenCalled();
  });
});
