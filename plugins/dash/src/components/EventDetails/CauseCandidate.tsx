import type {
  DashCauseCandidate,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Button, LinearProgress, Typography } from '@material-ui/core';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import { kindLabel, sourcePresentation } from '../../lib/presentation';
import { TimeZoneChoice, formatDuration, formatFullTime } from '../../lib/time';
import { useLikelyCausesStyles } from './likelyCausesStyles';
import { ShippedChanges } from './ShippedChanges';

export interface CauseCandidateProps {
  candidate: DashCauseCandidate;
  /** 1 for the most likely. */
  rank: number;
  /** When the problem began on its own clock (its page or alert), in ms. */
  problemStart: number;
  eventsById: ReadonlyMap<string, DashEvent>;
  /** Whether the candidate is in the event list, so that it can be shown there. */
  listed: boolean;
  tz: TimeZoneChoice;
  includeDependencies: boolean;
  onReveal(id: string): void;
}

/** One suspect: its title, score, where and when it happened, why, and what it shipped. */
export function CauseCandidate(props: CauseCandidateProps) {
  const { candidate: c, rank, problemStart, eventsById, listed, tz } = props;
  const classes = useLikelyCausesStyles();
  const candidate = eventsById.get(c.eventId);
  const percent = Math.round(c.score * 100);
  const cSrc = candidate ? sourcePresentation(candidate.source) : undefined;
  const title = candidate?.title ?? c.eventId;
  return (
    <li
      className={classes.cause}
      aria-label={`Likely cause ${rank}: ${title}, score ${percent}%`}
    >
      <div className={classes.causeHead}>
        <Typography variant="body2" style={{ flex: 1 }}>
          <strong>{title}</strong>
        </Typography>
        <div className={classes.score}>
          <Typography variant="caption">Score {percent}%</Typography>
          <LinearProgress
            variant="determinate"
            value={percent}
            aria-label={`Score ${percent}%`}
          />
        </div>
      </div>
      <Typography variant="caption" color="textSecondary" component="div">
        {candidate && (
          <>
            {cSrc?.title} {kindLabel(candidate.kind).toLocaleLowerCase()},{' '}
            {formatFullTime(candidate.startTime, tz)}
            {problemStart >= Date.parse(candidate.startTime) &&
              `, ${formatDuration(
                problemStart - Date.parse(candidate.startTime),
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
            change on dependency <EntityRefLink entityRef={c.entityRef} />
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
      {c.shipped && (
        <ShippedChanges shipped={c.shipped} eventsById={eventsById} />
      )}
      {listed ? (
        <Button size="small" onClick={() => props.onReveal(c.eventId)}>
          Show in list
        </Button>
      ) : (
        <Typography variant="caption" color="textSecondary">
          {c.relation === 'dependency' && !props.includeDependencies
            ? 'Not on this timeline: turn on “Include dependencies” to see it among the events.'
            : 'Not in the list: outside the window or hidden by the filters.'}
        </Typography>
      )}
    </li>
  );
}
