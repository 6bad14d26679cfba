import { Button, Typography } from '@material-ui/core';
import { OnsetMark } from '../../lib/onset';
import { TimeZoneChoice, formatFullTime } from '../../lib/time';
import { useLikelyCausesStyles } from './likelyCausesStyles';

export interface OnsetSummaryProps {
  onset: OnsetMark;
  /** The correlator's own words for the onset. */
  summary: string;
  /** Whether the onset signal is in the event list, so that it can be selected there. */
  listed: boolean;
  tz: TimeZoneChoice;
  onSelect(id: string): void;
}

/**
 * When the problem truly began, first in the panel: the suspects are changes before this moment,
 * not before the page.
 */
export function OnsetSummary(props: OnsetSummaryProps) {
  const { onset, summary, listed, tz, onSelect } = props;
  const classes = useLikelyCausesStyles();
  return (
    <div className={classes.onset}>
      <Typography variant="body2">
        <strong>
          Began {onset.lead}: {onset.signalTitle}
        </strong>
      </Typography>
      {summary !== onset.signalTitle && (
        <Typography variant="body2">{summary}</Typography>
      )}
      <Typography variant="caption" color="textSecondary" component="div">
        Onset at {formatFullTime(onset.from, tz)}; likely causes are changes
        before it.
      </Typography>
      {listed && (
        <Button size="small" onClick={() => onSelect(onset.signalId)}>
          Select onset signal
        </Button>
      )}
    </div>
  );
}
