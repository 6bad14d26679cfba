import { ReactNode } from 'react';
import { percentAt } from '../DensityHistogram/TimeAxis';

export interface CorrelationMarksProps {
  /** The window on the axis. */
  from: number;
  to: number;
  /** Where the correlator looked for causes of the selected incident or alert. */
  lookback?: { from: number; to: number };
  /** When the selected event began. */
  selectedTime?: number;
  /** Each axis styles the marks its own way. */
  classes: { lookback: string; selected: string };
  /** Inside the look-back band (e.g. its label). */
  lookbackContent?: ReactNode;
  lookbackTestId?: string;
}

/**
 * The marks a time axis shows for the selection: the correlator's look-back window as a band and
 * the selected event's time as a line, each only where it falls inside the window.
 */
export function CorrelationMarks(props: CorrelationMarksProps) {
  const { from, to, lookback, selectedTime, classes } = props;
  return (
    <>
      {lookback && lookback.to > from && lookback.from < to && (
        <div
          className={classes.lookback}
          style={{
            left: percentAt(lookback.from, from, to),
            right: `calc(100% - ${percentAt(lookback.to, from, to)})`,
          }}
          data-testid={props.lookbackTestId}
        >
          {props.lookbackContent}
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
