import {
  alert,
  alertCorrelation,
  incident,
  incidentCorrelation,
  logSpike,
} from '../__testUtils__/fixtures';
import { onsetLabel, onsetMark } from './onset';

const byId = new Map([alert, incident, logSpike].map(e => [e.id, e]));

describe('onsetMark', () => {
  it('marks an onset before the page, named after its signal', () => {
    const onset = onsetMark(incident, incidentCorrelation, byId)!;
    expect(onset).toEqual({
      from: Date.parse(alert.startTime),
      to: Date.parse(incident.startTime),
      signalId: alert.id,
      signalTitle: alert.title,
      lead: '5 min before the page',
    });
    expect(onsetLabel(onset)).toBe(
      'Problem began 5 min before the page: p99 latency above 2 s',
    );
  });

  it('speaks of the alert for an alert, and falls back on the summary when the signal is not in the answer', () => {
    const correlation = {
      ...alertCorrelation,
      onset: {
        time: '2026-03-03T00:10:00Z',
        eventId: 'kibana:not-here',
        signalIds: ['kibana:not-here', alert.id],
        summary: 'Error logs on payments-api rose 2 h 10 min before the alert',
      },
    };
    const onset = onsetMark(alert, correlation, byId)!;
    expect(onset.lead).toBe('2 h 10 min before the alert');
    expect(onset.signalTitle).toBe(correlation.onset.summary);
  });

  it('marks nothing when the problem began with its own page or alert', () => {
    expect(onsetMark(alert, alertCorrelation, byId)).toBeUndefined();
  });

  it('marks nothing without a correlation or an onset (an older backend)', () => {
    expect(onsetMark(incident, undefined, byId)).toBeUndefined();
    const { onset: _dropped, ...old } = incidentCorrelation;
    expect(
      onsetMark(incident, old as typeof incidentCorrelation, byId),
    ).toBeUndefined();
  });
});
