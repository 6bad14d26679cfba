import type {
  DashEvent,
  DashSourceState,
} from '@dash-suite/plugin-dash-common';
import { DAY_MS } from '@dash-suite/plugin-dash-common';
import { Typography, makeStyles } from '@material-ui/core';
import { memo } from 'react';
import { ms } from '../../lib/events';
import {
  kindLabel,
  severityPresentation,
  sourcePresentation,
  statusPresentation,
} from '../../lib/presentation';
import { TimeZoneChoice, formatEventTime } from '../../lib/time';
import { CorrelationMarks } from '../CorrelationMarks';
import { percentAt, TimeAxis } from '../DensityHistogram';

/** Above this many events a lane draws density bins instead of one marker per event. */
export const MAX_MARKERS_PER_LANE = 150;
const LANE_BINS = 60;

const useStyles = makeStyles(theme => ({
  root: {
    display: 'grid',
    gridTemplateColumns: '180px 1fr',
    alignItems: 'stretch',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  label: {
    display: 'flex',
    alignItems: 'center',
    gap: 6,
    padding: theme.spacing(0, 1),
    borderBottom: `1px solid ${theme.palette.divider}`,
    minHeight: 38,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
  },
  labelText: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    lineHeight: 1.2,
    '& > *': { overflow: 'hidden', textOverflow: 'ellipsis' },
  },
  track: {
    position: 'relative',
    minHeight: 38,
    borderBottom: `1px solid ${theme.palette.divider}`,
    overflow: 'hidden',
  },
  trackNote: {
    position: 'absolute',
    left: 8,
    top: 8,
    color: theme.palette.text.secondary,
    fontStyle: 'italic',
  },
  marker: {
    position: 'absolute',
    top: 9,
    width: 20,
    height: 20,
    marginLeft: -10,
    padding: 0,
    border: '2px solid',
    borderRadius: '50%',
    background: theme.palette.background.paper,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    cursor: 'pointer',
    zIndex: 2,
    '& svg': { fontSize: 14 },
  },
  dependency: { borderStyle: 'dashed' },
  selectedMarker: {
    transform: 'scale(1.35)',
    outline: `2px solid ${theme.palette.text.primary}`,
    outlineOffset: 1,
    zIndex: 4,
  },
  candidate: {
    boxShadow: `0 0 0 3px ${
      theme.palette.type === 'dark' ? '#ffd54f' : '#f9a825'
    }`,
    zIndex: 3,
  },
  rank: {
    position: 'absolute',
    top: -9,
    right: -9,
    minWidth: 14,
    height: 14,
    borderRadius: 7,
    fontSize: 10,
    lineHeight: '14px',
    fontWeight: 700,
    background: theme.palette.type === 'dark' ? '#ffd54f' : '#f9a825',
    color: '#000',
  },
  fresh: {
    animation: '$pulse 1.2s ease-in-out 4',
  },
  '@keyframes pulse': {
    '0%': { boxShadow: '0 0 0 0 rgba(25,118,210,0.7)' },
    '100%': { boxShadow: '0 0 0 10px rgba(25,118,210,0)' },
  },
  duration: {
    position: 'absolute',
    top: 16,
    height: 6,
    borderRadius: 3,
    opacity: 0.35,
  },
  bin: {
    position: 'absolute',
    top: 6,
    bottom: 6,
    padding: 0,
    border: 0,
    cursor: 'zoom-in',
  },
  lookback: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    background: 'rgba(25,118,210,0.12)',
    borderLeft: '2px dashed #1976d2',
    pointerEvents: 'none',
  },
  selectedLine: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    borderLeft: `2px solid ${theme.palette.text.primary}`,
    pointerEvents: 'none',
  },
}));

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
      {sources.map(source => {
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
            const cls = [
              classes.marker,
              dependency ? classes.dependency : '',
              e.id === selectedId ? classes.selectedMarker : '',
              rank ? classes.candidate : '',
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
                  }${rank ? ` — likely cause #${rank}` : ''}`}
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
                selectedTime={selectedTime}
                classes={{
                  lookback: classes.lookback,
                  selected: classes.selectedLine,
                }}
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
