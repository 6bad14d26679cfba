import type {
  DashAfterOnsetChange,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Button, Typography } from '@material-ui/core';
import { normalizeRef } from '../../lib/events';
import { kindLabel, sourcePresentation } from '../../lib/presentation';
import { TimeZoneChoice, formatDuration, formatFullTime } from '../../lib/time';
import { useLikelyCausesStyles } from './likelyCausesStyles';

export const AFTER_ONSET_TITLE = 'Changed after the problem began (not causes)';

export interface AfterOnsetChangesProps {
  changes: DashAfterOnsetChange[];
  /** The problem whose onset these came after. */
  problem: DashEvent;
  /** When the problem began, in ms: the page or alert, or its earlier onset. */
  onsetTime: number;
  eventsById: ReadonlyMap<string, DashEvent>;
  listedIds: ReadonlySet<string>;
  tz: TimeZoneChoice;
  onReveal(id: string): void;
}

/**
 * Changes between the onset and the end of the problem, apart from the suspects: they cannot have
 * caused it, but a rollback or a flag turned off among them may be what ended it.
 */
export function AfterOnsetChanges(props: AfterOnsetChangesProps) {
  const { changes, problem, onsetTime, eventsById, listedIds, tz } = props;
  const classes = useLikelyCausesStyles();
  if (changes.length === 0) return null;
  return (
    <section aria-label={AFTER_ONSET_TITLE} className={classes.afterOnset}>
      <Typography variant="subtitle2" component="h5">
        {AFTER_ONSET_TITLE}
      </Typography>
      <ul className={classes.afterOnsetList}>
        {changes.map(c => {
          // The backend adds these events to its answer; when one is missing, its reasons
          // still say what it was.
          const e = eventsById.get(c.eventId);
          const start = e ? Date.parse(e.startTime) : undefined;
          const elsewhere =
            normalizeRef(c.entityRef) !== normalizeRef(problem.entityRef);
          return (
            <li key={c.eventId} className={classes.afterOnsetItem}>
              {e && (
                <Typography variant="body2">
                  <strong>{e.title}</strong>
                </Typography>
              )}
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                {e && start !== undefined && (
                  <>
                    {sourcePresentation(e.source).title}{' '}
                    {kindLabel(e.kind).toLocaleLowerCase()},{' '}
                    {formatFullTime(start, tz)}
                    {start >= onsetTime &&
                      `, ${formatDuration(start - onsetTime)} after the onset`}
                  </>
                )}
                {elsewhere && (
                  <>
                    {e && ' · '}on <EntityRefLink entityRef={c.entityRef} />
                  </>
                )}
              </Typography>
              <ul className={classes.reasons}>
                {c.reasons.map(r => (
                  <li key={r}>
                    <Typography variant="body2">{r}</Typography>
                  </li>
                ))}
              </ul>
              {listedIds.has(c.eventId) && (
                <Button size="small" onClick={() => props.onReveal(c.eventId)}>
                  Show in list
                </Button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
