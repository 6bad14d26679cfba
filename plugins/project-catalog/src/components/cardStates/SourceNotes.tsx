import type { DashSourceState } from '@dash-suite/plugin-dash-common';
import { makeStyles } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { formatAge, formatTime } from './format';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(1),
  },
  message: { display: 'block', opacity: 0.85 },
}));

/** True for a state whose data can be trusted as current. */
export function isHealthy(state: DashSourceState): boolean {
  return state.status === 'ok';
}

/** True when the source has data to show, current or not. */
export function hasData(state: DashSourceState): boolean {
  return state.status === 'ok' || Boolean(state.fetchedAt);
}

/**
 * One state in words: `PagerDuty rate limited, data from 4 min ago, retry after Tue 3 Mar 14:05`.
 * The status words come from the status id (`rate-limited` → `rate limited`), so a status the
 * backend adds later still reads.
 */
export function describeSource(state: DashSourceState, now: number): string {
  const title = state.title || state.id;
  const words = state.status.replace(/-/g, ' ');
  const parts = [`${title} ${words}`];
  // A source that is not configured, or not allowed for the entity, is never called: no age.
  if (state.status !== 'not-configured' && state.status !== 'not-allowed') {
    parts.push(
      state.fetchedAt
        ? `data from ${formatAge(now - Date.parse(state.fetchedAt))} ago`
        : 'no data yet',
    );
  }
  if (state.retryAfter)
    parts.push(`retry after ${formatTime(state.retryAfter)}`);
  return parts.join(', ');
}

function severityOf(state: DashSourceState): 'info' | 'warning' | 'error' {
  switch (state.status) {
    case 'not-configured':
    case 'not-allowed':
    case 'refreshing':
      return 'info';
    case 'stale':
    case 'rate-limited':
      return 'warning';
    default:
      return 'error';
  }
}

export interface SourceNotesProps {
  sources: DashSourceState[];
  now: number;
}

/** A line for every source that is not OK, with its age and the backend's reason. */
export function SourceNotes({ sources, now }: SourceNotesProps) {
  const classes = useStyles();
  const degraded = sources.filter(s => !isHealthy(s));
  if (!degraded.length) return null;
  return (
    <div className={classes.root} aria-label="Source status">
      {degraded.map(s => (
        <Alert
          key={`${s.id}:${s.entityRef}`}
          severity={severityOf(s)}
          variant="outlined"
          role="status"
        >
          {describeSource(s, now)}
          {s.message && <span className={classes.message}>{s.message}</span>}
        </Alert>
      ))}
    </div>
  );
}
