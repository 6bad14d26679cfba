import type { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  DASH_SEVERITIES,
  DAY_MS,
  MINUTE_MS,
} from '@dash-suite/plugin-dash-common';
import { Typography, makeStyles } from '@material-ui/core';
import {
  MouseEvent as ReactMouseEvent,
  useEffect,
  useRef,
  useState,
} from 'react';
import { bucketEvents } from '../../lib/events';
import { OnsetMark } from '../../lib/onset';
import { SEVERITIES } from '../../lib/presentation';
import { TimeZoneChoice, formatEventTime, formatWindow } from '../../lib/time';
import { CorrelationMarks } from '../CorrelationMarks';
import { TimeAxis } from './TimeAxis';

/** Bars drawn across the window, whatever the number of events. */
export const HISTOGRAM_BUCKETS = 120;

const useStyles = makeStyles(theme => ({
  root: { userSelect: 'none' },
  chart: {
    position: 'relative',
    height: 72,
    cursor: 'crosshair',
    background: theme.palette.background.default,
    borderRadius: theme.shape.borderRadius,
  },
  svg: { display: 'block', width: '100%', height: '100%' },
  lookback: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    background:
      'repeating-linear-gradient(45deg, rgba(25,118,210,0.10), rgba(25,118,210,0.10) 6px, rgba(25,118,210,0.22) 6px, rgba(25,118,210,0.22) 12px)',
    borderLeft: '2px dashed #1976d2',
    pointerEvents: 'none',
  },
  lookbackLabel: {
    position: 'absolute',
    top: 2,
    left: 4,
    fontSize: 11,
    fontWeight: 600,
    color: theme.palette.type === 'dark' ? '#90caf9' : '#0d47a1',
    whiteSpace: 'nowrap',
  },
  onset: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    background: 'rgba(229,57,53,0.16)',
    borderLeft: '2px solid #e53935',
  },
  onsetLabel: {
    position: 'absolute',
    bottom: 2,
    left: 4,
    fontSize: 11,
    fontWeight: 600,
    color: theme.palette.type === 'dark' ? '#ef9a9a' : '#b71c1c',
    whiteSpace: 'nowrap',
  },
  selected: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    borderLeft: `2px solid ${theme.palette.text.primary}`,
    pointerEvents: 'none',
  },
  brush: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    background: 'rgba(25,118,210,0.25)',
    border: '1px solid #1976d2',
    pointerEvents: 'none',
  },
  caption: {
    display: 'flex',
    justifyContent: 'space-between',
    gap: 8,
    color: theme.palette.text.secondary,
  },
  legend: {
    display: 'inline-flex',
    gap: theme.spacing(1.5),
    alignItems: 'center',
  },
  legendItem: { display: 'inline-flex', alignItems: 'center', gap: 2 },
}));

export interface DensityHistogramProps {
  events: DashEvent[];
  from: number;
  to: number;
  tz: TimeZoneChoice;
  /** The selected problem's look-back window. */
  lookback?: { from: number; to: number };
  /** When the selected problem truly began, where that came before its page or alert. */
  onset?: OnsetMark;
  /** Start of the selected event. */
  selectedTime?: number;
  /** Called with the brushed range. */
  onZoom(from: number, to: number): void;
}

/**
 * How many events happened when: events are counted into {@link HISTOGRAM_BUCKETS} buckets,
 * stacked by severity. Drag across it to zoom into that range.
 */
export function DensityHistogram(props: DensityHistogramProps) {
  const { events, from, to, tz, lookback, onset, selectedTime, onZoom } = props;
  const classes = useStyles();
  const chartRef = useRef<HTMLDivElement>(null);
  const [brush, setBrush] = useState<{ a: number; b: number }>();
  const brushRef = useRef<{ a: number; b: number }>();
  brushRef.current = brush;

  const { buckets, max } = bucketEvents(events, from, to, HISTOGRAM_BUCKETS);
  const busiest = buckets.reduce(
    (a, b) => (b.count > a.count ? b : a),
    buckets[0],
  );
  const withDate = to - from > DAY_MS;
  const summary =
    events.length === 0
      ? `Event density: no events between ${formatWindow(from, to, tz)}.`
      : `Event density: ${events.length} events between ${formatWindow(
          from,
          to,
          tz,
        )}; busiest around ${formatEventTime(
          busiest.start,
          tz,
          withDate,
        )} with ${busiest.count}.`;

  const fractionAt = (clientX: number) => {
    const rect = chartRef.current?.getBoundingClientRect();
    if (!rect || rect.width <= 0) return 0;
    return Math.max(0, Math.min(1, (clientX - rect.left) / rect.width));
  };

  const onMouseDown = (e: ReactMouseEvent) => {
    if (e.button !== 0) return;
    e.preventDefault();
    const f = fractionAt(e.clientX);
    setBrush({ a: f, b: f });
  };

  // While brushing, follow the mouse anywhere on the page and zoom on release.
  const brushing = brush !== undefined;
  useEffect(() => {
    if (!brushing) return undefined;
    const move = (e: MouseEvent) =>
      setBrush(
        current => current && { a: current.a, b: fractionAt(e.clientX) },
      );
    const up = (e: MouseEvent) => {
      const current = brushRef.current;
      setBrush(undefined);
      if (!current) return;
      const b = fractionAt(e.clientX);
      const lo = Math.min(current.a, b);
      const hi = Math.max(current.a, b);
      const span = to - from;
      // A click or a tiny drag is not a zoom.
      if ((hi - lo) * span < Math.max(MINUTE_MS, span * 0.01)) return;
      const round = (t: number) => Math.round(t / 1000) * 1000;
      onZoom(round(from + lo * span), round(from + hi * span));
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    return () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
    // fractionAt reads the ref; from/to/onZoom are current for this drag.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [brushing, from, to, onZoom]);

  const severities = [...DASH_SEVERITIES].reverse(); // info at the bottom, critical on top
  return (
    <div className={classes.root}>
      {/* Brushing is for the mouse; the presets and the custom range do the same by keyboard. */}
      {/* eslint-disable-next-line jsx-a11y/no-static-element-interactions */}
      <div
        ref={chartRef}
        className={classes.chart}
        onMouseDown={onMouseDown}
        data-testid="density-histogram"
      >
        <svg
          className={classes.svg}
          viewBox={`0 0 ${HISTOGRAM_BUCKETS} 100`}
          preserveAspectRatio="none"
          role="img"
          aria-label={summary}
        >
          {max > 0 &&
            buckets.map((bucket, i) => {
              if (!bucket.count) return null;
              let y = 100;
              return severities.map(sev => {
                const n = bucket.bySeverity[sev];
                if (!n) return null;
                const h = (n / max) * 96;
                y -= h;
                return (
                  <rect
                    key={`${i}-${sev}`}
                    x={i + 0.1}
                    width={0.8}
                    y={y}
                    height={h}
                    fill={SEVERITIES[sev].color}
                  />
                );
              });
            })}
        </svg>
        <CorrelationMarks
          from={from}
          to={to}
          lookback={lookback}
          onset={onset}
          selectedTime={selectedTime}
          classes={{
            lookback: classes.lookback,
            selected: classes.selected,
            onset: classes.onset,
          }}
          lookbackTestId="lookback-window"
          lookbackContent={
            <span className={classes.lookbackLabel}>Look-back window</span>
          }
          onsetTestId="onset-band"
          onsetContent={<span className={classes.onsetLabel}>Onset</span>}
        />
        {brush && (
          <div
            className={classes.brush}
            data-testid="brush"
            style={{
              left: `${Math.min(brush.a, brush.b) * 100}%`,
              width: `${Math.abs(brush.b - brush.a) * 100}%`,
            }}
          />
        )}
      </div>
      <TimeAxis from={from} to={to} tz={tz} />
      <div className={classes.caption}>
        <Typography variant="caption">
          Drag across the chart to zoom in.
        </Typography>
        <span className={classes.legend} aria-hidden>
          {DASH_SEVERITIES.map(sev => {
            const { Icon, label, color } = SEVERITIES[sev];
            return (
              <Typography
                key={sev}
                variant="caption"
                className={classes.legendItem}
              >
                <Icon style={{ color, fontSize: 14 }} />
                {label}
              </Typography>
            );
          })}
        </span>
      </div>
    </div>
  );
}
