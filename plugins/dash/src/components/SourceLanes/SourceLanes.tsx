import type {
  DashEvent,
  DashSourceState,
} from '@dash-suite/plugin-dash-common';
import { DAY_MS } from '@dash-suite/plugin-dash-common';
import { Typography } from '@material-ui/core';
import { memo } from 'react';
import { ms } from '../../lib/events';
import { OnsetMark } from '../../lib/onset';
import {
  kindLabel,
  severityPresentation,
  sourcePresentation,
  statusPresentation,
} from '../../lib/presentation';
import { TimeZoneChoice, formatEventTime } from '../../lib/time';
import { CorrelationMarks } from '../CorrelationMarks';
import { percentAt, TimeAxis } from '../DensityHistogram';
import { useSourceLanesStyles as useStyles } from './sourceLanesStyles';

/** Above this many events a lane draws density bins instead of one marker per event. */
export const MAX_MARKERS_PER_LANE = 150;
const LANE_BINS = 60;

export interface LaneSource {
  id: string;
  title: string;
  states: DashSourceState[];
}

export interface SourceLanesProps {
  sources: LaneSource[];
  events: DashEvent[];
  from: number;
  to: number;
  tz: TimeZoneChoice;
  lookback?: { from: number; to: number };
  /** When the selected problem truly began, where that came before its page or alert. */
  onset?: OnsetMark;
  selectedId?: string;
  selectedTime?: number;
  /** Likely causes of the selected problem: event id -> rank (1 = most likely). */
  candidateRanks: ReadonlyMap<string, number>;
  newIds: ReadonlySet<string>;
  isDependency(e: DashEvent): boolean;
  onSelect(id: string): void;
  onZoom(from: number, to: number): void;
}

/**
 * One lane per source on the shared time axis. A lane is a picture for the mouse: the event list
 * below is the keyboard and screen reader equivalent, so the tracks are hidden from assistive
 * technology and their markers are not tab stops.
 */
export const SourceLanes = memo(function SourceLanesChart(
  props: SourceLanesProps,
) {
  const {
    sources,
    events,
    from,
    to,
    tz,
    lookback,
    onset,
    selectedId,
    selectedTime,
    candidateRanks,
    newIds,
    isDependency,
    onSelect,
    onZoom,
  } = props;
  const classes = useStyles();
  const bySource = new Map<string, DashEvent[]>();
  for (const e of events) {
    const lane = bySource.get(e.source) ?? [];
    lane.push(e);
    bySource.set(e.source, lane);
  }
  const withDate = to - from > DAY_MS;
  const span = to - from;

  return (
    <div className={classes.root} data-testid="source-lanes">
      {sources.map((source, laneIndex) => {
        const lane = bySource.get(source.id) ?? [];
        const { Icon, color } = sourcePresentation(source.id, source.title);
        const notOk = source.states.filter(s => s.status !== 'ok');
        const worst = notOk.reduce<DashSourceState | undefined>(
          (a, b) =>
            !a ||
            statusPresentation(b.status).rank >
              statusPresentation(a.status).rank
              ? b
              : a,
          undefined,
        );
        let content;
        if (lane.length > MAX_MARKERS_PER_LANE) {
          const width = span / LANE_BINS;
          const counts = new Array<number>(LANE_BINS).fill(0);
          for (const e of lane) {
            const i = Math.floor((ms(e.startTime) - from) / width);
            if (i >= 0 && i < LANE_BINS) counts[i] += 1;
          }
          const max = Math.max(1, ...counts);
          content = counts.map((n, i) =>
            n === 0 ? null : (
              <button
                type="button"
                tabIndex={-1}
                key={i}
                className={classes.bin}
                title={`${n} events from ${formatEventTime(
                  from + i * width,
                  tz,
                  withDate,
                )}: click to zoom in`}
                style={{
                  left: `${(i / LANE_BINS) * 100}%`,
                  width: `${100 / LANE_BINS}%`,
                  background: color,
                  opacity: 0.2 + 0.8 * (n / max),
                }}
                onClick={() => onZoom(from + i * width, from + (i + 1) * width)}
              />
            ),
          );
        } else {
          content = lane.map(e => {
            const start = ms(e.startTime);
            const sev = severityPresentation(e.severity);
            const SevIcon = sev.Icon;
            const rank = candidateRanks.get(e.id);
            const dependency = isDependency(e);
            const isOnset = onset?.signalId === e.id;
            const cls = [
              classes.marker,
              dependency ? classes.dependency : '',
              e.id === selectedId ? classes.selectedMarker : '',
              rank ? classes.candidate : '',
              isOnset ? classes.onsetSignal : '',
              newIds.has(e.id) ? classes.fresh : '',
            ].join(' ');
            return (
              <span key={e.id}>
                {e.endTime && (
                  <span
                    className={classes.duration}
                    style={{
                      left: percentAt(start, from, to),
                      right: `calc(100% - ${percentAt(
                        ms(e.endTime),
                        from,
                        to,
                      )})`,
                      background: sev.color,
                    }}
                  />
                )}
                <button
                  type="button"
                  tabIndex={-1}
                  className={cls}
                  style={{
                    left: percentAt(start, from, to),
                    borderColor: color,
                  }}
                  title={`${formatEventTime(start, tz, withDate)} ${
                    sev.label
                  } ${kindLabel(e.kind)}: ${e.title}${
                    dependency ? ` (dependency ${e.entityRef})` : ''
                  }${rank ? ` — likely cause #${rank}` : ''}${
                    isOnset ? ' — onset: the problem began here' : ''
                  }`}
                  onClick={() => onSelect(e.id)}
                  data-event-id={e.id}
                >
                  <SevIcon style={{ color: sev.color }} />
                  {rank && <span className={classes.rank}>{rank}</span>}
                </button>
              </span>
            );
          });
        }
        return (
          <div key={source.id} style={{ display: 'contents' }}>
            <div className={classes.label}>
              <Icon style={{ color }} fontSize="small" aria-hidden />
              <span className={classes.labelText}>
                <Typography variant="body2" component="span" display="block">
                  {source.title} ({lane.length})
                </Typography>
                {worst && (
                  <Typography
                    variant="caption"
                    component="span"
                    display="block"
                    color="textSecondary"
                  >
                    {statusPresentation(worst.status).label}
                  </Typography>
                )}
              </span>
            </div>
            <div className={classes.track} aria-hidden>
              <CorrelationMarks
                from={from}
                to={to}
                lookback={lookback}
                onset={onset}
                selectedTime={selectedTime}
                classes={{
                  lookback: classes.lookback,
                  selected: classes.selectedLine,
                  onset: classes.onset,
                }}
                onsetTestId="lane-onset-band"
                // One label is enough: the band runs through every lane.
                onsetContent={
                  laneIndex === 0 ? (
                    <span className={classes.onsetLabel}>Onset</span>
                  ) : undefined
                }
              />
              {lane.length === 0 && (
                <Typography variant="caption" className={classes.trackNote}>
                  {worst
                    ? `No events; ${statusPresentation(worst.status).label}`
                    : 'No events'}
                </Typography>
              )}
              {content}
            </div>
          </div>
        );
      })}
      <div />
      <TimeAxis from={from} to={to} tz={tz} />
    </div>
  );
});
