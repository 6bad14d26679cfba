import { makeStyles } from '@material-ui/core';
import { axisTicks, TimeZoneChoice } from '../../lib/time';

const useStyles = makeStyles(theme => ({
  axis: {
    position: 'relative',
    height: 18,
    borderTop: `1px solid ${theme.palette.divider}`,
    color: theme.palette.text.secondary,
    fontSize: 11,
    fontVariantNumeric: 'tabular-nums',
  },
  tick: {
    position: 'absolute',
    top: 0,
    transform: 'translateX(-50%)',
    whiteSpace: 'nowrap',
    paddingTop: 2,
    '&::before': {
      content: '""',
      position: 'absolute',
      top: -4,
      left: '50%',
      height: 4,
      borderLeft: `1px solid ${theme.palette.divider}`,
    },
  },
}));

/** Fraction of the window at which `t` lies, as a CSS percentage. */
export function percentAt(t: number, from: number, to: number): string {
  const f = (t - from) / (to - from);
  return `${Math.max(0, Math.min(1, f)) * 100}%`;
}

/** Tick labels of the shared time axis, in the chosen zone. */
export function TimeAxis(props: {
  from: number;
  to: number;
  tz: TimeZoneChoice;
}) {
  const { from, to, tz } = props;
  const classes = useStyles();
  return (
    <div className={classes.axis} aria-hidden>
      {axisTicks(from, to, tz).map(tick => (
        <span
          key={tick.t}
          className={classes.tick}
          style={{ left: percentAt(tick.t, from, to) }}
        >
          {tick.label}
        </span>
      ))}
    </div>
  );
}
