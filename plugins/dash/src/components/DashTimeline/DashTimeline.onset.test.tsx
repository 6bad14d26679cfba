import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FROM,
  PAYMENTS,
  TO,
  WINDOW_QUERY,
  alert,
  currentParams,
  flagOff,
  incident,
  mockDashApi,
  renderWithApis,
  sourceStates,
  timelineResponse,
} from '../../__testUtils__/fixtures';
import { DashTimeline } from './DashTimeline';

const LABEL = 'Problem began 5 min before the page: p99 latency above 2 s';

function row(id: string) {
  return screen
    .getAllByRole('option')
    .find(r => r.getAttribute('data-event-id') === id)!;
}

describe('DashTimeline: onset of the selected problem', () => {
  it('marks the stretch from the onset to the page on the histogram, the lanes and the list', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      route: `/dash?${WINDOW_QUERY}&event=${incident.id}`,
    });
    await screen.findByRole('region', { name: 'Likely causes' });
    // Where the band should run, in per cent of the window (jsdom folds calc() on its own).
    const onsetAt = ((Date.parse(alert.startTime) - FROM) / (TO - FROM)) * 100;
    const pageAt =
      ((Date.parse(incident.startTime) - FROM) / (TO - FROM)) * 100;
    const expectSpan = (el: HTMLElement) => {
      expect(parseFloat(el.style.left)).toBeCloseTo(onsetAt, 3);
      expect(
        100 - parseFloat(el.style.right.replace(/^calc\(/, '')),
      ).toBeCloseTo(pageAt, 3);
    };

    // The histogram's band is named for everyone, and labelled on screen.
    const band = screen.getByRole('img', { name: LABEL });
    expect(band).toHaveTextContent('Onset');
    expectSpan(band);

    // The lanes draw it through every lane, labelled once, with the same words for the mouse.
    const lanes = screen.getByTestId('source-lanes');
    const laneBands = within(lanes).getAllByTestId('lane-onset-band');
    expect(laneBands).toHaveLength(sourceStates().length);
    laneBands.forEach(b => {
      expect(b).toHaveAttribute('title', LABEL);
      expectSpan(b);
    });
    expect(laneBands.filter(b => b.textContent === 'Onset')).toHaveLength(1);
    const marker = lanes.querySelector(`[data-event-id="${alert.id}"]`)!;
    expect(marker.getAttribute('title')).toMatch(
      /onset: the problem began here$/,
    );

    // The list, the lanes' equivalent for the keyboard and screen readers, says it too.
    expect(row(alert.id)).toHaveTextContent('Problem began here');
    expect(row(incident.id)).not.toHaveTextContent('Problem began here');
  });

  it('selects the onset signal from the panel; an alert that began by itself has no onset', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      route: `/dash?${WINDOW_QUERY}&event=${incident.id}`,
    });
    const causes = await screen.findByRole('region', { name: 'Likely causes' });
    expect(
      within(causes).getByText(
        'Began 5 min before the page: p99 latency above 2 s',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      within(causes).getByRole('button', { name: 'Select onset signal' }),
    );
    expect(currentParams().get('event')).toBe(alert.id);
    expect(
      screen.getByRole('heading', { name: alert.title }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: /^Problem began/ })).toBeNull();
    expect(screen.queryByTestId('lane-onset-band')).toBeNull();
    expect(screen.queryByText('Problem began here')).toBeNull();
  });

  it('shows a change after the onset apart from the causes, and reveals it in the list', async () => {
    const base = timelineResponse();
    const api = mockDashApi(
      timelineResponse({ events: [...base.events, flagOff] }),
    );
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      route: `/dash?${WINDOW_QUERY}&event=${incident.id}`,
    });
    const causes = await screen.findByRole('region', { name: 'Likely causes' });
    const after = within(causes).getByRole('region', {
      name: 'Changed after the problem began (not causes)',
    });
    expect(within(after).getByText(flagOff.title)).toBeInTheDocument();
    expect(row(flagOff.id)).not.toHaveTextContent('Likely cause');

    await userEvent.click(
      within(after).getByRole('button', { name: 'Show in list' }),
    );
    expect(screen.getByRole('listbox')).toHaveAttribute(
      'aria-activedescendant',
      row(flagOff.id).id,
    );
  });
});
