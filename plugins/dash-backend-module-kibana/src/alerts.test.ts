import { alertEpisodes } from './alerts';

const exec = (
  minute: number,
  active: number,
  fresh = 0,
  status = 'success',
) => ({
  timestamp: new Date(Date.UTC(2025, 2, 12, 10, minute)).toISOString(),
  status,
  num_active_alerts: active,
  num_new_alerts: fresh,
});

describe('alertEpisodes', () => {
  it('runs from the first execution with active alerts to the first without, in any order', () => {
    const episodes = alertEpisodes([
      exec(20, 0),
      exec(5, 1, 1),
      exec(0, 0),
      exec(10, 2),
      exec(15, 1),
    ]);
    expect(episodes).toEqual([
      {
        start: '2025-03-12T10:05:00.000Z',
        end: '2025-03-12T10:20:00.000Z',
        maxActiveAlerts: 2,
        newAlerts: 1,
        executions: 3,
      },
    ]);
  });

  it('leaves an episode still active open, skips failed runs, and flags one that began before the log', () => {
    const episodes = alertEpisodes([
      exec(0, 1, 0),
      exec(5, 0),
      exec(10, 0, 0, 'failure'),
      exec(15, 1, 1),
    ]);
    expect(episodes).toEqual([
      expect.objectContaining({
        start: '2025-03-12T10:00:00.000Z',
        startUnknown: true,
      }),
      {
        start: '2025-03-12T10:15:00.000Z',
        maxActiveAlerts: 1,
        newAlerts: 1,
        executions: 1,
      },
    ]);
  });
});
