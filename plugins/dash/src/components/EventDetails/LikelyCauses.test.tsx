import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  DashCorrelation,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import {
  alert,
  alertCorrelation,
  dependencyDeploy,
  deploy,
  flag,
  flagOff,
  incident,
  incidentCorrelation,
  logSpike,
  pullRequest,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { LikelyCauses } from './LikelyCauses';

const AFTER = 'Changed after the problem began (not causes)';

async function renderPanel(
  options: {
    problem?: DashEvent;
    correlation?: DashCorrelation;
    events?: DashEvent[];
    listed?: string[];
  } = {},
) {
  const events = options.events ?? [
    pullRequest,
    flag,
    deploy,
    alert,
    logSpike,
    incident,
    dependencyDeploy,
  ];
  const onReveal = jest.fn();
  const onSelect = jest.fn();
  await renderWithApis(
    <LikelyCauses
      problem={options.problem ?? incident}
      correlation={options.correlation ?? incidentCorrelation}
      eventsById={new Map(events.map(e => [e.id, e]))}
      listedIds={new Set(options.listed ?? events.map(e => e.id))}
      tz="utc"
      includeDependencies={false}
      onReveal={onReveal}
      onSelect={onSelect}
    />,
  );
  return {
    causes: screen.getByRole('region', { name: 'Likely causes' }),
    onReveal,
    onSelect,
  };
}

describe('LikelyCauses: onset', () => {
  it('says first when the problem began, and selects the onset signal', async () => {
    const { causes, onSelect } = await renderPanel();
    const began = within(causes).getByText(
      'Began 5 min before the page: p99 latency above 2 s',
    );
    // Before the suspects: the look-back and the ranking start from this moment.
    const firstCause = within(causes).getByRole('listitem', {
      name: /^Likely cause 1:/,
    });
    expect(
      began.compareDocumentPosition(firstCause) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(
      within(causes).getByText(incidentCorrelation.onset.summary),
    ).toBeInTheDocument();
    expect(
      within(causes).getByText(/Onset at 2026-03-03 02:20:00 UTC/),
    ).toBeInTheDocument();

    await userEvent.click(
      within(causes).getByRole('button', { name: 'Select onset signal' }),
    );
    expect(onSelect).toHaveBeenCalledWith(alert.id);
  });

  it('offers no selection when the onset signal is not in the list', async () => {
    const { causes } = await renderPanel({ listed: [incident.id] });
    expect(within(causes).getByText(/^Began 5 min before/)).toBeInTheDocument();
    expect(
      within(causes).queryByRole('button', { name: 'Select onset signal' }),
    ).not.toBeInTheDocument();
  });

  it('says nothing of an onset when the problem began with its own alert', async () => {
    const { causes } = await renderPanel({
      problem: alert,
      correlation: alertCorrelation,
    });
    expect(within(causes).queryByText(/^Began /)).not.toBeInTheDocument();
    expect(
      within(causes).getByText(alertCorrelation.summary),
    ).toBeInTheDocument();
  });
});

describe('LikelyCauses: changes after the onset', () => {
  it('lists them apart from the suspects, with their reasons', async () => {
    const { causes, onReveal } = await renderPanel({
      events: [flag, deploy, alert, incident, flagOff],
    });
    const after = within(causes).getByRole('region', { name: AFTER });
    expect(
      within(after).getByRole('heading', { name: AFTER }),
    ).toBeInTheDocument();
    expect(within(after).getByText(flagOff.title)).toBeInTheDocument();
    expect(
      within(after).getByText(/02:50:00 UTC, 30 min after the onset/),
    ).toBeInTheDocument();
    expect(
      within(after).getByText(incidentCorrelation.afterOnset[0].reasons[0]),
    ).toBeInTheDocument();
    // Never among the ranked suspects.
    const suspects = within(causes).getAllByRole('listitem', {
      name: /^Likely cause/,
    });
    expect(suspects).toHaveLength(3);
    suspects.forEach(s => expect(s).not.toHaveTextContent(flagOff.title));

    await userEvent.click(
      within(after).getByRole('button', { name: 'Show in list' }),
    );
    expect(onReveal).toHaveBeenCalledWith(flagOff.id);
  });

  it('shows the reasons alone when the answer lacks the event', async () => {
    const { causes } = await renderPanel();
    const after = within(causes).getByRole('region', { name: AFTER });
    expect(
      within(after).getByText(incidentCorrelation.afterOnset[0].reasons[0]),
    ).toBeInTheDocument();
    expect(within(after).queryByText(flagOff.title)).not.toBeInTheDocument();
    expect(
      within(after).queryByRole('button', { name: 'Show in list' }),
    ).not.toBeInTheDocument();
  });

  it('has no such section when nothing changed after the onset', async () => {
    const { causes } = await renderPanel({
      correlation: { ...incidentCorrelation, afterOnset: [] },
    });
    expect(
      within(causes).queryByRole('region', { name: AFTER }),
    ).not.toBeInTheDocument();
  });
});

describe('LikelyCauses: what a deploy shipped', () => {
  it('keeps the shipped changes inside the deploy, collapsed, with links', async () => {
    const { causes } = await renderPanel();
    const top = within(causes).getByRole('listitem', {
      name: /^Likely cause 1: Deploy payments-api/,
    });
    const toggle = within(top).getByRole('button', {
      name: 'Shipped 2 pull requests and 1 commit',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(
      within(top).queryByRole('link', { name: pullRequest.title }),
    ).not.toBeInTheDocument();

    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(top).getByRole('link', { name: pullRequest.title }),
    ).toHaveAttribute(
      'href',
      'https://github.example/acme/payments-api/pull/7',
    );
    expect(within(top).getByText('#9')).toBeInTheDocument();
    // A commit without a URL is named, short sha first, without a link.
    expect(within(top).getByText('0a1b2c3')).toBeInTheDocument();
    expect(
      within(top).queryByRole('link', { name: 'Fix a typo in the README' }),
    ).not.toBeInTheDocument();
    expect(
      within(top).getByText('Fix a typo in the README'),
    ).toBeInTheDocument();

    // The pull request is not a suspect of its own; the flag shipped nothing.
    expect(
      within(causes).queryByRole('listitem', {
        name: new RegExp(`^Likely cause \\d: ${pullRequest.title}`),
      }),
    ).not.toBeInTheDocument();
    const second = within(causes).getByRole('listitem', {
      name: /^Likely cause 2:/,
    });
    expect(
      within(second).queryByRole('button', { name: /^Shipped/ }),
    ).not.toBeInTheDocument();
  });
});
