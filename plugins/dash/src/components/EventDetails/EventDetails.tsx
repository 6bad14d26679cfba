import type {
  DashCorrelation,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import { DASH_PROBLEM_KINDS } from '@dash-suite/plugin-dash-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Button,
  IconButton,
  Link,
  Paper,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import LaunchIcon from '@material-ui/icons/Launch';
import {
  kindLabel,
  safeHttpUrl,
  severityPresentation,
  sourcePresentation,
} from '../../lib/presentation';
import { TimeZoneChoice, formatDuration, formatFullTime } from '../../lib/time';
import { LikelyCauses } from './LikelyCauses';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(2),
    height: '100%',
    overflowY: 'auto',
    maxHeight: 'min(560px, max(320px, calc(100vh - 460px)))',
  },
  header: { display: 'flex', alignItems: 'flex-start', gap: theme.spacing(1) },
  title: { flex: 1, wordBreak: 'break-word' },
  severity: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 4,
    fontWeight: 700,
  },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: theme.spacing(0.5, 2),
    margin: theme.spacing(1.5, 0),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0, wordBreak: 'break-word' },
  },
}));

export interface EventDetailsProps {
  event: DashEvent;
  /** The correlation of the event when it is an incident or alert. */
  correlation?: DashCorrelation;
  /** Events by id, including `relatedEvents`, to resolve candidates. */
  eventsById: ReadonlyMap<string, DashEvent>;
  /** Ids of the events currently in the list (so a candidate can be shown there). */
  listedIds: ReadonlySet<string>;
  tz: TimeZoneChoice;
  isDependency(e: DashEvent): boolean;
  includeDependencies: boolean;
  onReveal(id: string): void;
  /** Selects another event (the onset signal of the selected problem). */
  onSelect(id: string): void;
  onClose(): void;
}

function attributeText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The selected event, and for an incident or alert its likely causes, ranked and explained. */
export function EventDetails(props: EventDetailsProps) {
  const { event, correlation, eventsById, listedIds, tz } = props;
  const { isDependency, includeDependencies, onReveal, onSelect, onClose } =
    props;
  const classes = useStyles();
  const sev = severityPresentation(event.severity);
  const SevIcon = sev.Icon;
  const src = sourcePresentation(event.source);
  const url = safeHttpUrl(event.url);
  const actorUrl = safeHttpUrl(event.actor?.url);
  const start = Date.parse(event.startTime);
  const end = event.endTime ? Date.parse(event.endTime) : undefined;
  const isProblem = DASH_PROBLEM_KINDS.includes(event.kind);
  // Source-specific details come last: at 3 a.m. the likely causes matter more.
  const attributes = Object.entries(event.attributes ?? {})
    .filter(([, v]) => v !== null && v !== '')
    .slice(0, 20);

  return (
    <Paper
      variant="outlined"
      className={classes.root}
      component="section"
      aria-label="Selected event"
    >
      <div className={classes.header}>
        <div className={classes.title}>
          <Typography variant="overline" component="div">
            <span className={classes.severity}>
              <SevIcon
                fontSize="small"
                style={{ color: sev.color }}
                aria-hidden
              />
              {sev.label}
            </span>{' '}
            · {src.title} {kindLabel(event.kind).toLocaleLowerCase()}
          </Typography>
          <Typography variant="h6" component="h3">
            {event.title}
          </Typography>
        </div>
        <IconButton size="small" aria-label="Clear selection" onClick={onClose}>
          <CloseIcon fontSize="small" />
        </IconButton>
      </div>
      <dl className={classes.fields}>
        <dt>Started</dt>
        <dd>{formatFullTime(start, tz)}</dd>
        {end !== undefined && (
          <>
            <dt>Ended</dt>
            <dd>
              {formatFullTime(end, tz)} ({formatDuration(end - start)})
            </dd>
          </>
        )}
        {event.status && (
          <>
            <dt>Status</dt>
            <dd>{event.status}</dd>
          </>
        )}
        <dt>Entity</dt>
        <dd>
          <EntityRefLink entityRef={event.entityRef} />
          {isDependency(event) && ' (dependency)'}
        </dd>
        {event.actor && (
          <>
            <dt>By</dt>
            <dd>
              {actorUrl ? (
                <Link href={actorUrl} target="_blank" rel="noopener noreferrer">
                  {event.actor.name}
                </Link>
              ) : (
                event.actor.name
              )}
            </dd>
          </>
        )}
      </dl>
      {url && (
        <Button
          size="small"
          variant="outlined"
          href={url}
          target="_blank"
          rel="noopener noreferrer"
          endIcon={<LaunchIcon fontSize="small" aria-hidden />}
        >
          Open in {src.title}
        </Button>
      )}
      {isProblem && (
        <LikelyCauses
          problem={event}
          correlation={correlation}
          eventsById={eventsById}
          listedIds={listedIds}
          tz={tz}
          includeDependencies={includeDependencies}
          onReveal={onReveal}
          onSelect={onSelect}
        />
      )}
      {attributes.length > 0 && (
        <section aria-label="More details" style={{ marginTop: 16 }}>
          <Typography variant="subtitle2" component="h4">
            More details
          </Typography>
          <dl className={classes.fields}>
            {attributes.map(([k, v]) => (
              <span key={k} style={{ display: 'contents' }}>
                <dt>{k}</dt>
                <dd>{attributeText(v)}</dd>
              </span>
            ))}
          </dl>
        </section>
      )}
    </Paper>
  );
}
