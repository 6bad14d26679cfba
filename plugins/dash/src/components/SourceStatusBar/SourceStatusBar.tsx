import type { DashSourceState } from '@dash-suite/plugin-dash-common';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import { Chip, Tooltip, Typography, makeStyles } from '@material-ui/core';
import { ReactNode } from 'react';
import { statusPresentation, sourcePresentation } from '../../lib/presentation';
import {
  TimeZoneChoice,
  formatAge,
  formatEventTime,
  formatFullTime,
} from '../../lib/time';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  chip: {
    fontWeight: 500,
  },
  ok: { borderColor: theme.palette.success?.main ?? '#2e7d32' },
  warning: {
    borderColor: theme.palette.warning?.main ?? '#ed6c02',
    borderStyle: 'dashed',
  },
  error: {
    borderColor: theme.palette.error.main,
    borderWidth: 2,
  },
  neutral: { borderStyle: 'dotted' },
  messages: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(2.5),
    color: theme.palette.text.secondary,
    fontSize: theme.typography.body2.fontSize,
  },
  updated: {
    marginLeft: 'auto',
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
  },
}));

function entityName(ref: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'component' });
  } catch {
    return ref;
  }
}

/** One state in words: `stale, 3 h old`, `rate limited, retry after 14:05`. */
export function describeState(
  s: DashSourceState,
  now: number,
  tz: TimeZoneChoice,
): string {
  const { label } = statusPresentation(s.status);
  switch (s.status) {
    case 'stale':
      return s.fetchedAt
        ? `${label}, ${formatAge(now - Date.parse(s.fetchedAt))} old`
        : `${label}, never fetched`;
    case 'rate-limited':
      return s.retryAfter
        ? `${label}, retry after ${formatEventTime(s.retryAfter, tz, false)}`
        : label;
    default:
      return label;
  }
}

/** When a backing-off source calls its upstream again, for the tooltip (rate limits say it). */
function nextTry(s: DashSourceState, tz: TimeZoneChoice): string {
  if (!s.nextAttemptAt || s.status === 'rate-limited') return '';
  return `; next try ${formatFullTime(s.nextAttemptAt, tz)}`;
}

export interface SourceStatusBarProps {
  states: DashSourceState[];
  /** Several entities are shown: name the entity of each state. */
  multipleEntities: boolean;
  now: number;
  tz: TimeZoneChoice;
  /** ISO time of the answer on screen. */
  lastUpdated?: string;
  /** Shown at the end of the row, e.g. the refresh button. */
  action?: ReactNode;
}

/**
 * One chip per source, always all of them: a failing source is said to be failing, and never
 * hides the others. A chip that covers several entities sums them up; the message of every state
 * that is not OK is shown as text under the chips (and as the chip's tooltip).
 */
export function SourceStatusBar(props: SourceStatusBarProps) {
  const { states, multipleEntities, now, tz, lastUpdated, action } = props;
  const classes = useStyles();
  const groups = new Map<string, DashSourceState[]>();
  for (const s of states) {
    const group = groups.get(s.id) ?? [];
    group.push(s);
    groups.set(s.id, group);
  }

  const describe = (s: DashSourceState) => {
    const words = describeState(s, now, tz);
    return multipleEntities ? `${entityName(s.entityRef)}: ${words}` : words;
  };
  const notOk = states.filter(s => s.status !== 'ok');

  return (
    <section aria-label="Source status">
      <div className={classes.root}>
        {states.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            No source reported a status.
          </Typography>
        )}
        {[...groups.entries()].map(([id, group]) => {
          const { title, Icon: SourceIcon } = sourcePresentation(
            id,
            group[0].title,
          );
          const worst = group.reduce((a, b) =>
            statusPresentation(b.status).rank >
            statusPresentation(a.status).rank
              ? b
              : a,
          );
          const presentation = statusPresentation(worst.status);
          const StatusIcon = presentation.Icon;
          let summary: string;
          if (group.length === 1) {
            summary = describeState(group[0], now, tz);
          } else {
            const counts = new Map<string, number>();
            for (const s of group) {
              const label = statusPresentation(s.status).label;
              counts.set(label, (counts.get(label) ?? 0) + 1);
            }
            summary = [...counts.entries()]
              .map(([label, n]) => `${n} ${label}`)
              .join(', ');
          }
          const tooltip = group
            .map(
              s =>
                `${describe(s)}${s.message ? ` — ${s.message}` : ''}${
                  s.fetchedAt
                    ? ` (last fetched ${formatFullTime(s.fetchedAt, tz)})`
                    : ''
                }${nextTry(s, tz)}`,
            )
            .join('\n');
          return (
            <Tooltip
              key={id}
              title={<span style={{ whiteSpace: 'pre-line' }}>{tooltip}</span>}
            >
              <Chip
                variant="outlined"
                className={`${classes.chip} ${classes[presentation.tone]}`}
                icon={<StatusIcon fontSize="small" aria-hidden />}
                data-status={worst.status}
                data-source={id}
                label={
                  <span>
                    <SourceIcon
                      fontSize="inherit"
                      aria-hidden
                      style={{ verticalAlign: 'middle', marginRight: 4 }}
                    />
                    {title}: {summary}
                  </span>
                }
                aria-label={`${title}: ${summary}`}
              />
            </Tooltip>
          );
        })}
        <span className={classes.updated}>
          {lastUpdated && (
            <Typography variant="body2" component="span" color="textSecondary">
              Last updated {formatFullTime(lastUpdated, tz)}
            </Typography>
          )}
          {action}
        </span>
      </div>
      {notOk.length > 0 && (
        <ul className={classes.messages} aria-label="Source problems">
          {notOk.map(s => (
            <li key={`${s.id}\n${s.entityRef}`}>
              <strong>{sourcePresentation(s.id, s.title).title}</strong>
              {multipleEntities ? ` (${entityName(s.entityRef)})` : ''}:{' '}
              {describeState(s, now, tz)}
              {s.message ? ` — ${s.message}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
