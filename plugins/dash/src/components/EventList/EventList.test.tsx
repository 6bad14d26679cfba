import { fireEvent, screen, within } from '@testing-library/react';
import { DASH_SEVERITIES } from '@dash-suite/plugin-dash-common';
import {
  FROM,
  PAYMENTS,
  TO,
  event,
  mockDashApi,
  renderWithApis,
  timelineResponse,
} from '../../__testUtils__/fixtures';
import { DashTimeline } from '../DashTimeline';
import { HISTOGRAM_BUCKETS } from '../DensityHistogram';
import { EVENT_ROW_HEIGHT } from './EventList';

const SOURCES = ['pagerduty', 'github', 'grafana', 'kibana', 'changes'];
const KINDS = ['incident', 'deploy', 'alert', 'log-spike', 'change'] as const;

function manyEvents(n: number) {
  const step = (TO - FROM) / n;
  return Array.from({ length: n }, (_, i) =>
    event({
      id: `gen:${i}`,
      source: SOURCES[i % SOURCES.length],
      kind: KINDS[i % KINDS.length],
      severity: DASH_SEVERITIES[i % DASH_SEVERITIES.length],
      title: `Generated event ${i}`,
      startTime: new Date(FROM + i * step).toISOString(),
    }),
  );
}

describe('EventList with 10,000 events', () => {
  it('keeps the number of rows in the DOM bounded and windows them as it scrolls', async () => {
    const events = manyEvents(10_000);
    const api = mockDashApi(
      timelineResponse({ events, correlations: [], relatedEvents: [] }),
    );
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, { api });
    const list = await screen.findByRole('listbox', {
      name: 'Events, newest first (10000)',
    });
    let rows = within(list).getAllByRole('option');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(300);
    expect(rows[0]).toHaveAttribute('aria-setsize', '10000');
    expect(rows[0]).toHaveAttribute('data-event-id', 'gen:9999');

    // Scroll to the middle: other rows, still bounded.
    list.scrollTop = 5000 * EVENT_ROW_HEIGHT;
    fireEvent.scroll(list);
    rows = await within(list).findAllByRole('option', {
      name: /Generated event 49\d\d/,
    });
    const all = within(list).getAllByRole('option');
    expect(all.length).toBeLessThanOrEqual(300);
    const indexes = all.map(r => Number(r.getAttribute('data-index')));
    expect(Math.min(...indexes)).toBeGreaterThan(4900);
    expect(Math.max(...indexes)).toBeLessThan(5100);

    // The histogram buckets instead of drawing one element per event.
    const histogram = screen.getByRole('img', {
      name: /^Event density: 10000 events/,
    });
    expect(histogram.querySelectorAll('rect').length).toBeLessThanOrEqual(
      HISTOGRAM_BUCKETS * DASH_SEVERITIES.length,
    );
    // So do the lanes: 2,000 events per source become density bins.
    const lanes = screen.getByTestId('source-lanes');
    expect(lanes.querySelectorAll('[data-event-id]')).toHaveLength(0);
    expect(lanes.querySelectorAll('button').length).toBeLessThanOrEqual(
      SOURCES.length * 60,
    );
  }, 30_000);
});
