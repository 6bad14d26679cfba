import {
  screen,
  within,
  waitFor,
  fireEvent,
  act,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DashTimeline } from './DashTimeline';
import {
  PAYMENTS,
  WINDOW_QUERY,
  currentParams,
  mockDashApi,
  renderWithApis,
  timelineResponse,
} from '../../__testUtils__/fixtures';

describe('DashTimeline', () => {
  it('shows the events of the window, newest first', async () => {
    const { api } = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
    );
    const list = await screen.findByRole('listbox', {
      name: /Events, newest first \(6\)/,
    });
    const rows = within(list).getAllByRole('option');
    expect(rows.map(r => r.getAttribute('data-event-id'))).toEqual([
      'pagerduty:INC1',
      'kibana:spike-1',
      'grafana:alert-1',
      'github:deploy-1',
      'changes:flag-1',
      'github:pr-7',
    ]);
    expect(api.getTimeline).toHaveBeenCalledWith({
      entityRefs: [PAYMENTS],
      from: new Date('2026-03-03T00:00:00Z'),
      to: new Date('2026-03-03T06:00:00Z'),
      includeDependencies: false,
    });
    expect(currentParams().get('from')).toBe('2026-03-03T00:00:00Z');
  });
});
