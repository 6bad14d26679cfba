import type {
  DashEvent,
  DashShippedChange,
} from '@dash-suite/plugin-dash-common';
import { Button, Link, Typography } from '@material-ui/core';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useId, useState } from 'react';
import { safeHttpUrl } from '../../lib/presentation';
import { useLikelyCausesStyles } from './likelyCausesStyles';

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `Shipped 3 pull requests and 1 commit`. */
export function shippedSummary(shipped: DashShippedChange[]): string {
  const prs = shipped.filter(c => c.kind === 'pull-request').length;
  const commits = shipped.length - prs;
  const parts = [
    prs ? count(prs, 'pull request') : '',
    commits ? count(commits, 'commit') : '',
  ].filter(Boolean);
  return `Shipped ${parts.join(' and ')}`;
}

function shortRef(c: DashShippedChange): string | undefined {
  if (c.number !== undefined) return `#${c.number}`;
  return c.sha?.slice(0, 7);
}

export interface ShippedChangesProps {
  shipped: DashShippedChange[];
  /** To link a change the timeline holds when the backend sent no URL of its own. */
  eventsById: ReadonlyMap<string, DashEvent>;
}

/**
 * What a deploy shipped, collapsed under one line: the pull requests and commits are part of the
 * deploy's suspicion, not suspects of their own.
 */
export function ShippedChanges(props: ShippedChangesProps) {
  const { shipped, eventsById } = props;
  const classes = useLikelyCausesStyles();
  const [open, setOpen] = useState(false);
  const listId = useId();
  if (shipped.length === 0) return null;
  return (
    <div>
      <Button
        size="small"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        startIcon={
          open ? <ExpandLessIcon aria-hidden /> : <ExpandMoreIcon aria-hidden />
        }
        onClick={() => setOpen(o => !o)}
      >
        {shippedSummary(shipped)}
      </Button>
      {open && (
        <ul id={listId} className={classes.shipped}>
          {shipped.map((c, i) => {
            const ref = shortRef(c);
            const url = safeHttpUrl(
              c.url ?? (c.eventId ? eventsById.get(c.eventId)?.url : undefined),
            );
            return (
              <li key={c.eventId ?? c.sha ?? `${c.number ?? ''}-${i}`}>
                <Typography variant="body2">
                  {ref && (
                    <>
                      <span className={classes.shippedRef}>{ref}</span>{' '}
                    </>
                  )}
                  {url ? (
                    <Link href={url} target="_blank" rel="noopener noreferrer">
                      {c.title}
                    </Link>
                  ) : (
                    c.title
                  )}
                </Typography>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
