import type { DashSourceState } from '@dash-suite/plugin-dash-common';
import { Button, Paper, Typography, makeStyles } from '@material-ui/core';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import { sourcePresentation } from '../../lib/presentation';
import { TimeZoneChoice, formatFullTime } from '../../lib/time';
import { describeState } from '../SourceStatusBar';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(3), textAlign: 'center' },
  sources: {
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(1, 0, 0),
  },
}));

function name(ref: string) {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'component' });
  } catch {
    return ref;
  }
}

/**
 * Says why the list is empty: nothing happened in the window (and which sources were asked, in
 * what state), or the filters hide what did.
 */
export function EmptyWindow(props: {
  from: number;
  to: number;
  tz: TimeZoneChoice;
  states: DashSourceState[];
  entityRefs: string[];
  /** Events in the window hidden by the filters. */
  hiddenByFilters: number;
  onClearFilters(): void;
  now: number;
}) {
  const {
    from,
    to,
    tz,
    states,
    entityRefs,
    hiddenByFilters,
    onClearFilters,
    now,
  } = props;
  const classes = useStyles();
  if (hiddenByFilters > 0) {
    return (
      <Paper variant="outlined" className={classes.root} role="status">
        <Typography variant="h6" component="p">
          No events match the filters.
        </Typography>
        <Typography variant="body2" paragraph>
          {hiddenByFilters} {hiddenByFilters === 1 ? 'event' : 'events'} in this
          window {hiddenByFilters === 1 ? 'is' : 'are'} hidden by the filters.
        </Typography>
        <Button variant="outlined" onClick={onClearFilters}>
          Clear filters
        </Button>
      </Paper>
    );
  }
  const multiple = entityRefs.length > 1;
  return (
    <Paper variant="outlined" className={classes.root} role="status">
      <Typography variant="h6" component="p">
        No events between {formatFullTime(from, tz)} and{' '}
        {formatFullTime(to, tz)}.
      </Typography>
      {states.length === 0 ? (
        <Typography variant="body2">
          No DASH source reported on {entityRefs.map(name).join(', ')}: either
          the backend has no source module installed for its annotations, or it
          has none of the annotations the sources read (PagerDuty, GitHub,
          Grafana, Kibana).
        </Typography>
      ) : (
        <>
          <Typography variant="body2">Sources asked:</Typography>
          <ul className={classes.sources} aria-label="Sources asked">
            {states.map(s => (
              <li key={`${s.id}\n${s.entityRef}`}>
                <Typography variant="body2">
                  {sourcePresentation(s.id, s.title).title}
                  {multiple ? ` for ${name(s.entityRef)}` : ''}:{' '}
                  {describeState(s, now, tz)}
                  {s.message ? ` — ${s.message}` : ''}
                </Typography>
              </li>
            ))}
          </ul>
        </>
      )}
    </Paper>
  );
}
