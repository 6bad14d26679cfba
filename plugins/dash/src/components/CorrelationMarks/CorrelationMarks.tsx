import { ReactNode } from 'react';
import { OnsetMark, onsetLabel } from '../../lib/onset';
import { percentAt } from '../DensityHistogram/TimeAxis';

export interface CorrelationMarksProps {
  /** The window on the axis. */
  from: number;
  to: number;
  /** Where the correlator looked for causes of the selected incident or alert. */
  lookback?: { from: number; to: number };
  /** When the selected problem truly began, where that came before its page or alert. */
  onset?: OnsetMark;
  /** When the selected event began. */
  selectedTime?: number;
  /** Each axis styles the marks its own way. */
  classes: { lookback: string; selected: string; onset: string };
  /** Inside the look-back band (e.g. its label). */
  lookbackContent?: ReactNode;
  lookbackTestId?: string;
  /** Inside the onset band (e.g. its label). */
  onsetContent?: ReactNode;
  onsetTestId?: string;
}

function overlaps(
  band: { from: number; to: number },
  from: number,
  to: number,
) {
  return band.to > from && band.from < to;
}

/**
 * The marks a time axis shows for the selection: the correlator's look-back window as a band,
 * the stretch from the problem's onset to its page as another, and the selected event's time as
 * a line, each only where it falls inside the window.
 */
export function CorrelationMarks(props: CorrelationMarksProps) {
  const { from, to, lookback, onset, selectedTime, classes } = props;
  const band = (b: { from: number; to: number }) => ({
    left: percentAt(b.from, from, to),
    right: `calc(100% - ${percentAt(b.to, from, to)})`,
  });
  return (
    <>
      {lookback && overlaps(lookback, from, to) && (
        <div
          className={classes.lookback}
          style={band(lookback)}
          data-testid={props.lookbackTestId}
        >
          {props.lookbackContent}
        </div>
      )}
      {onset && overlaps(onset, from, to) && (
        // Named for whoever reaches it; the title is the same words for the mouse.
        <div
          className={classes.onset}
          style={band(onset)}
          role="img"
          aria-label={onsetLabel(onset)}
          title={onsetLabel(onset)}
          data-testid={props.onsetTestId}
        >
          {props.onsetContent}
        </div>
      )}
      {selectedTime !== undefined &&
        selectedTime >= from &&
        selectedTime <= to && (
          <div
            className={classes.selected}
            style={{ left: percentAt(selectedTime, from, to) }}
          />
        )}
    </>
  );
}
