import type {
  DashCorrelation,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import { DASH_PROBLEM_KINDS } from '@dash-suite/plugin-dash-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Button,
  IconButton,
  LinearProgress,
  Link,
  Paper,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import LaunchIcon from '@material-ui/icons/Launch';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import { Alert } from '@material-ui/lab';
import {
  kindLabel,
  safeHttpUrl,
  severityPresentation,
  sourcePresentation,
} from '../../lib/presentation';
import { TimeZoneChoice, formatDuration, formatFullTime } from '../../lib/time';

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
  causes: { margin: 0, paddingLeft: theme.spacing(3) },
  cause: {
    marginBottom: theme.spacing(1.5),
    padding: theme.spacing(1),
    borderLeft: `4px solid ${
      theme.palette.type === 'dark' ? '#ffd54f' : '#f9a825'
    }`,
    background: theme.palette.background.default,
  },
  causeHead: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  score: { flex: '0 0 90px' },
  reasons: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(2.5) },
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
  onClose(): void;
}

function attributeText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The selected event, and for an incident or alert its likely causes, ranked and explained. */
export function EventDetails(props: EventDetailsProps) {
  const { event, correlation, eventsById, listedIds, tz } = props;
  const { isDependency, includeDependencies, onReveal, onClose } = props;
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
        <section aria-label="Likely causes" style={{ marginTop: 16 }}>
          <Typography variant="subtitle1" component="h4" gutterBottom>
            Likely causes
          </Typography>
          {!correlation && (
            <Typography variant="body2" color="textSecondary">
              No correlation was computed for this event.
            </Typography>
          )}
          {correlation?.verdict === 'nothing-plausible' && (
            <Alert severity="info">{correlation.summary}</Alert>
          )}
          {correlation?.verdict === 'ranked' && (
            <>
              <Typography variant="body2" paragraph>
                {correlation.summary} Look-back window:{' '}
                {formatFullTime(correlation.lookbackFrom, tz)} to{' '}
                {formatFullTime(correlation.lookbackTo, tz)}.
              </Typography>
              <ol className={classes.causes}>
                {[...correlation.candidates]
                  .sort((a, b) => b.score - a.score)
                  .map((c, i) => {
                    const candidate = eventsById.get(c.eventId);
                    const percent = Math.round(c.score * 100);
                    const listed = listedIds.has(c.eventId);
                    const cSrc = candidate
                      ? sourcePresentation(candidate.source)
                      : undefined;
                    return (
                      <li
                        key={c.eventId}
                        className={classes.cause}
                        aria-label={`Likely cause ${i + 1}: ${
                          candidate?.title ?? c.eventId
                        }, score ${percent}%`}
                      >
                        <div className={classes.causeHead}>
                          <Typography variant="body2" style={{ flex: 1 }}>
                            <strong>{candidate?.title ?? c.eventId}</strong>
                          </Typography>
                          <div className={classes.score}>
                            <Typography variant="caption">
                              Score {percent}%
                            </Typography>
                            <LinearProgress
                              variant="determinate"
                              value={percent}
                              aria-label={`Score ${percent}%`}
                            />
                          </div>
                        </div>
                        <Typography
                          variant="caption"
                          color="textSecondary"
                          component="div"
                        >
                          {candidate && (
                            <>
                              {cSrc?.title}{' '}
                              {kindLabel(candidate.kind).toLocaleLowerCase()},{' '}
                              {formatFullTime(candidate.startTime, tz)}
                              {start >= Date.parse(candidate.startTime) &&
                                `, ${formatDuration(
                                  start - Date.parse(candidate.startTime),
                                )} before`}
                              {' · '}
                            </>
                          )}
                          {c.relation === 'dependency' ? (
                            <span>
                              <AccountTreeIcon
                                fontSize="inherit"
                                aria-hidden
                                style={{ verticalAlign: 'middle' }}
                              />{' '}
                              change on dependency{' '}
                              <EntityRefLink entityRef={c.entityRef} />
                            </span>
                          ) : (
                            'change on this service'
                          )}
                        </Typography>
                        <ul className={classes.reasons}>
                          {c.reasons.map(r => (
                            <li key={r}>
                              <Typography variant="body2">{r}</Typography>
                            </li>
                          ))}
                        </ul>
                        {listed ? (
                          <Button
                            size="small"
                            onClick={() => onReveal(c.eventId)}
                          >
                            Show in list
                          </Button>
                        ) : (
                          <Typography variant="caption" color="textSecondary">
                            {c.relation === 'dependency' && !includeDependencies
                              ? 'Not on this timeline: turn on “Include dependencies” to see it among the events.'
                              : 'Not in the list: outside the window or hidden by the filters.'}
                          </Typography>
                        )}
                      </li>
                    );
                  })}
              </ol>
            </>
          )}
        </section>
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
