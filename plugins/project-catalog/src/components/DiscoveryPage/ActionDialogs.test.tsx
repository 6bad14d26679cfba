import { DiscoverySuggestion } from '@dash-suite/plugin-project-catalog-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { pagerDutySuggestion, suggestion } from '../../__testUtils__/discovery';
import { renderWithApis, responseError } from '../../__testUtils__/fixtures';
import { AdoptDialog, IgnoreDialog, MergeDialog } from './ActionDialogs';

/** The helper text under an input: its hint, or its problem. */
const helper = (id: string) =>
  document.getElementById(`${id}-helper-text`)?.textContent;

const input = (label: RegExp) =>
  screen.getByLabelText(label, { selector: 'input,textarea' });

/** Replaces an input's value in one change (long values typed key by key are slow). */
const replace = (label: RegExp, value: string) =>
  fireEvent.change(input(label), { target: { value } });

async function renderDialog(
  dialog: 'adopt' | 'ignore' | 'merge',
  s: DiscoverySuggestion = suggestion(),
) {
  const onSubmit = jest.fn(async () => {});
  const onClose = jest.fn();
  const props = { onSubmit, onClose };
  await renderWithApis(
    <>
      {dialog === 'adopt' && <AdoptDialog suggestion={s} {...props} />}
      {dialog === 'ignore' && <IgnoreDialog suggestions={[s]} {...props} />}
      {dialog === 'merge' && <MergeDialog suggestion={s} {...props} />}
    </>,
  );
  await screen.findByRole('dialog');
  return { onSubmit, onClose };
}

const confirm = (name: string) =>
  userEvent.click(screen.getByRole('button', { name }));

describe('AdoptDialog', () => {
  it('shows what discovery inferred, and why', async () => {
    await renderDialog('adopt');
    expect(input(/^Name/)).toHaveValue('returns-service');
    expect(input(/^Title/)).toHaveValue('Returns service');
    expect(input(/^Owner/)).toHaveValue('group:default/team-returns');
    expect(input(/^Lifecycle/)).toHaveValue('experimental');
    expect(input(/^Description/)).toHaveValue('Handles returns and refunds.');
    expect(screen.getByRole('button', { name: /^Type/ })).toHaveTextContent(
      'service',
    );
    expect(helper('adopt-type')).toBe("Inferred from topic 'service'");
    expect(helper('adopt-owner')).toBe(
      'Inferred from .github/CODEOWNERS: * @acme/team-returns',
    );
  });

  it('sends the edited values as edits', async () => {
    const { onSubmit } = await renderDialog('adopt');
    replace(/^Name/, 'returns');
    replace(/^Tier/, '2');
    replace(/^Tags/, 'go, returns');
    replace(/^System/, 'commerce');
    await confirm('Adopt');
    expect(onSubmit).toHaveBeenCalledWith([
      {
        id: 'github:acme/returns-service',
        action: 'adopt',
        edits: {
          name: 'returns',
          title: 'Returns service',
          type: 'service',
          owner: 'group:default/team-returns',
          system: 'commerce',
          lifecycle: 'experimental',
          tier: '2',
          tags: ['go', 'returns'],
          description: 'Handles returns and refunds.',
        },
      },
    ]);
  });

  it('keeps a refused request in the dialog', async () => {
    const { onSubmit, onClose } = await renderDialog('adopt');
    onSubmit.mockRejectedValueOnce(
      await responseError(403, {
        error: {
          name: 'NotAllowedError',
          message:
            'user:default/ada is not allowed to project-catalog.discovery.review',
        },
      }),
    );
    await confirm('Adopt');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'user:default/ada is not allowed to project-catalog.discovery.review',
    );
    expect(screen.getByRole('button', { name: 'Adopt' })).toBeEnabled();
    expect(onClose).not.toHaveBeenCalled();
  });

  describe('refuses, one rule each, without sending', () => {
    const cases: Array<{
      rule: string;
      suggestion?: Partial<DiscoverySuggestion>;
      change?: [RegExp, string];
      field: string;
      message: string | RegExp;
    }> = [
      {
        rule: 'a name is required',
        change: [/^Name/, ' '],
        field: 'adopt-name',
        message: 'is required',
      },
      {
        rule: 'the name follows the catalog rule',
        change: [/^Name/, 'Returns Service!'],
        field: 'adopt-name',
        message: /a catalog entity name/,
      },
      {
        rule: 'a type is required',
        suggestion: { type: undefined, evidence: {} },
        field: 'adopt-type',
        message: 'is required',
      },
      {
        rule: 'an owner is required',
        change: [/^Owner/, ''],
        field: 'adopt-owner',
        message: 'is required',
      },
      {
        rule: 'the owner is an entity ref',
        change: [/^Owner/, 'team returns!'],
        field: 'adopt-owner',
        message: 'must be an entity reference such as group:name',
      },
      {
        rule: 'a lifecycle is required',
        change: [/^Lifecycle/, ''],
        field: 'adopt-lifecycle',
        message: 'is required',
      },
      {
        rule: 'the lifecycle is a lifecycle',
        change: [/^Lifecycle/, 'In Production'],
        field: 'adopt-lifecycle',
        message: /must be a lifecycle such as experimental/,
      },
      {
        rule: 'the system is an entity ref',
        change: [/^System/, 'commerce platform'],
        field: 'adopt-system',
        message: 'must be an entity reference such as system:name',
      },
      {
        rule: 'the tier is a label value',
        change: [/^Tier/, 'tier one!'],
        field: 'adopt-tier',
        message: 'must be a label value such as 1, 2 or critical',
      },
      {
        rule: 'tags are catalog tags',
        change: [/^Tags/, 'go, Not_A_Tag'],
        field: 'adopt-tags',
        message: /^"Not_A_Tag" must be lower-case letters/,
      },
      {
        rule: 'the title is at most 200 characters',
        change: [/^Title/, 't'.repeat(201)],
        field: 'adopt-title',
        message: 'must be at most 200 characters',
      },
      {
        rule: 'the description is at most 2000 characters',
        change: [/^Description/, 'd'.repeat(2001)],
        field: 'adopt-description',
        message: 'must be at most 2000 characters',
      },
    ];

    it.each(cases)('$rule', async c => {
      const { onSubmit } = await renderDialog(
        'adopt',
        suggestion(c.suggestion),
      );
      if (c.change) replace(...c.change);
      await confirm('Adopt');
      await waitFor(() => expect(helper(c.field)).toMatch(c.message));
      expect(onSubmit).not.toHaveBeenCalled();
    });
  });
});

describe('IgnoreDialog', () => {
  it('sends the reason, trimmed', async () => {
    const { onSubmit } = await renderDialog('ignore');
    replace(/^Reason/, '  An archived fork.  ');
    expect(helper('ignore-reason')).toBe('Why, for the next reviewer (17/500)');
    await confirm('Ignore');
    expect(onSubmit).toHaveBeenCalledWith([
      {
        id: 'github:acme/returns-service',
        action: 'ignore',
        reason: 'An archived fork.',
      },
    ]);
  });

  it('refuses without a reason', async () => {
    const { onSubmit } = await renderDialog('ignore');
    replace(/^Reason/, '   ');
    await confirm('Ignore');
    expect(helper('ignore-reason')).toBe(
      'is required: say why, so the next reviewer knows',
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses a reason longer than 500 characters', async () => {
    const { onSubmit } = await renderDialog('ignore');
    replace(/^Reason/, 'r'.repeat(501));
    await confirm('Ignore');
    expect(helper('ignore-reason')).toBe('must be at most 500 characters');
    expect(onSubmit).not.toHaveBeenCalled();
  });
});

describe('MergeDialog', () => {
  it('starts from the possible match and sends the entity', async () => {
    const { onSubmit } = await renderDialog('merge', pagerDutySuggestion());
    expect(input(/^Entity/)).toHaveValue('component:default/legacy-billing');
    expect(
      screen.getByText(/pagerduty\.com\/service-id: PLEGACY/),
    ).toBeInTheDocument();
    await confirm('Merge');
    expect(onSubmit).toHaveBeenCalledWith([
      {
        id: 'pagerduty:PLEGACY',
        action: 'merge',
        entityRef: 'component:default/legacy-billing',
      },
    ]);
  });

  it('refuses without an entity', async () => {
    const { onSubmit } = await renderDialog('merge', suggestion());
    expect(input(/^Entity/)).toHaveValue('');
    await confirm('Merge');
    expect(helper('merge-entity')).toBe('is required');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses an entity ref without its kind', async () => {
    const { onSubmit } = await renderDialog('merge', pagerDutySuggestion());
    replace(/^Entity/, 'legacy-billing');
    await confirm('Merge');
    expect(helper('merge-entity')).toBe(
      'must be an entity reference with its kind, such as component:default/payments-api',
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses an entity ref whose name the catalog does not allow', async () => {
    const { onSubmit } = await renderDialog('merge', pagerDutySuggestion());
    replace(/^Entity/, 'component:default/Legacy Billing');
    await confirm('Merge');
    expect(helper('merge-entity')).toMatch(/with its kind/);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
