import {
  Campaign,
  CampaignCounts,
  CampaignDegradedReason,
  CampaignStatus,
  CAMPAIGN_STATUSES,
} from '@dash-suite/plugin-project-catalog-common';
import { Chip, makeStyles } from '@material-ui/core';
import { DateTime } from 'luxon';
import { formatFullTime, formatRelative } from '../cardStates';

/** Each status in words, in the order of `CAMPAIGN_STATUSES`. */
export const STATUS_LABELS: Record<CampaignStatus, string> = {
  pending: 'Pending',
  'in-progress': 'In progress',
  done: 'Done',
  exempt: 'Exempt',
  failing: 'Failing',
  error: 'Error',
};

/** The statuses that are not finished: what the entities list shows by default. */
export const UNFINISHED_STATUSES: CampaignStatus[] = CAMPAIGN_STATUSES.filter(
  s => s !== 'done' && s !== 'exempt',
);

/** Why a check could not answer, in words; an unknown reason reads from its id. */
export function degradedText(reason: CampaignDegradedReason | string): string {
  switch (reason) {
    case 'rate-limited':
      return 'rate limited';
    case 'unauthorized':
      return 'not authorized';
    case 'timed-out':
      return 'timed out';
    case 'unavailable':
      return 'unavailable';
    default:
      return String(reason).replace(/-/g, ' ');
  }
}

const useChipStyles = makeStyles(theme => ({
  pending: {},
  'in-progress': {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  done: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  exempt: {
    backgroundColor: theme.palette.grey[500],
    color: theme.palette.common.white,
  },
  failing: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  error: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

/** An entity's status in a campaign, as a coloured chip that reads `Status: Failing`. */
export const StatusChip = ({ status }: { status: CampaignStatus }) => {
  const classes = useChipStyles();
  const label = STATUS_LABELS[status] ?? status;
  return (
    <Chip
      size="small"
      label={label}
      aria-label={`Status: ${label}`}
      className={classes[status]}
    />
  );
};

/** `31 Jan 2027`, in the browser's zone. */
export function formatDate(iso: string): string {
  const dt = DateTime.fromISO(iso);
  return dt.isValid ? dt.toFormat('d LLL yyyy') : iso;
}

/** Done and exempt together: what a burn-up counts as finished. */
export const finishedOf = (counts: CampaignCounts) =>
  (counts.done ?? 0) + (counts.exempt ?? 0);

/** `3 done · 1 exempt · 4 pending`: the statuses that have entities, in their order. */
export function countsSummary(counts: CampaignCounts): string {
  const parts = CAMPAIGN_STATUSES.filter(s => (counts[s] ?? 0) > 0).map(
    s => `${counts[s]} ${STATUS_LABELS[s].toLocaleLowerCase('en-US')}`,
  );
  return parts.length ? parts.join(' · ') : 'no entities yet';
}

/** How many entities' last check could not answer. */
export const degradedTotal = (campaign: Campaign) =>
  Object.values(campaign.degraded ?? {}).reduce((a, n) => a + (n ?? 0), 0);

/** `2 rate limited, 1 timed out`. */
export function degradedSummary(campaign: Campaign): string {
  return Object.entries(campaign.degraded ?? {})
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([reason, n]) => `${n} ${degradedText(reason)}`)
    .join(', ');
}

/** True when the deadline has passed. */
export const isPast = (iso: string, now: number) => Date.parse(iso) < now;

const useDeadlineStyles = makeStyles(theme => ({
  overdue: {
    marginLeft: theme.spacing(1),
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

/**
 * `31 Jan 2027 (in 12 d)`, with an Overdue marker when the deadline passed and the work is not
 * finished.
 */
export const Deadline = ({
  deadline,
  finished,
  now,
}: {
  deadline: string;
  /** Whether the work is finished (an entity done or exempt, a campaign with nothing left). */
  finished: boolean;
  now: number;
}) => {
  const classes = useDeadlineStyles();
  return (
    <>
      <time dateTime={deadline} title={formatFullTime(deadline)}>
        {formatDate(deadline)} ({formatRelative(deadline, now)})
      </time>
      {!finished && isPast(deadline, now) && (
        <Chip size="small" label="Overdue" className={classes.overdue} />
      )}
    </>
  );
};

/** What a `manual` check asks owners to do (its `instructions` setting), when it says. */
export function instructionsOf(campaign: Campaign): string | undefined {
  const value = campaign.check?.config?.instructions;
  return typeof value === 'string' && value.trim() ? value : undefined;
}
