import type { DashEvent } from '@dash-suite/plugin-dash-common';
import { Typography } from '@material-ui/core';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import { memo } from 'react';
import {
  kindLabel,
  severityPresentation,
  sourcePresentation,
} from '../../lib/presentation';
import { TimeZoneChoice, formatEventTime } from '../../lib/time';
import { useEventListStyles as useStyles } from './eventListStyles';

export interface CandidateMark {
  rank: number;
  score: number;
}

export interface EventRowProps {
  e: DashEvent;
  index: number;
  setSize: number;
  domId: string;
  start: number;
  tz: TimeZoneChoice;
  withDate: boolean;
  selected: boolean;
  active: boolean;
  candidate?: CandidateMark;
  /** Where the selected problem began. */
  onset?: boolean;
  fresh: boolean;
  note?: { label: string; dependency: boolean };
  onClick(index: number): void;
}

/** One event in the list: time, severity, title, source, kind and its badges. */
export const EventRow = memo(function EventRowView(props: EventRowProps) {
  const { e, index, setSize, domId, start, tz, withDate, selected, active } =
    props;
  const { candidate, onset, fresh, note, onClick } = props;
  const classes = useStyles();
  const sev = severityPresentation(e.severity);
  const SevIcon = sev.Icon;
  const src = sourcePresentation(e.source);
  const SrcIcon = src.Icon;
  const cls = [
    classes.row,
    selected ? classes.selected : '',
    active ? classes.active : '',
    candidate ? classes.candidate : '',
    fresh ? classes.fresh : '',
  ].join(' ');
  return (
    // Keys are handled by the listbox (aria-activedescendant): options take no focus themselves.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events
    <div
      role="option"
      tabIndex={-1}
      id={domId}
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      className={cls}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => onClick(index)}
      data-event-id={e.id}
      data-index={index}
    >
      <span className={classes.time}>
        {formatEventTime(e.startTime, tz, withDate)}
      </span>
      <span className={classes.severity}>
        <SevIcon fontSize="small" style={{ color: sev.color }} aria-hidden />
        {sev.label}
      </span>
      <span className={classes.main}>
        <Typography
          variant="body2"
          component="span"
          display="block"
          className={classes.title}
        >
          {e.title}
        </Typography>
        <span className={classes.meta}>
          <span className={classes.source}>
            <SrcIcon
              fontSize="inherit"
              style={{ color: src.color }}
              aria-hidden
            />
            {src.title}
          </span>
          <span>{kindLabel(e.kind)}</span>
          {e.status && <span>{e.status}</span>}
          {e.actor?.name && <span>by {e.actor.name}</span>}
          {note && (
            <span className={classes.badge}>
              {note.dependency && (
                <AccountTreeIcon fontSize="inherit" aria-hidden />
              )}
              {note.dependency ? `dependency: ${note.label}` : note.label}
            </span>
          )}
          {candidate && (
            <span className={`${classes.badge} ${classes.causeBadge}`}>
              Likely cause #{candidate.rank} ·{' '}
              {Math.round(candidate.score * 100)}%
            </span>
          )}
          {onset && (
            <span className={`${classes.badge} ${classes.onsetBadge}`}>
              Problem began here
            </span>
          )}
          {fresh && (
            <span className={`${classes.badge} ${classes.newBadge}`}>New</span>
          )}
        </span>
      </span>
    </div>
  );
});
