import {
  Button,
  FormControlLabel,
  IconButton,
  Switch,
  TextField,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import DateRangeIcon from '@material-ui/icons/DateRange';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import GetAppIcon from '@material-ui/icons/GetApp';
import ZoomOutIcon from '@material-ui/icons/ZoomOut';
import ViewStreamIcon from '@material-ui/icons/ViewStream';
import ViewListIcon from '@material-ui/icons/ViewList';
import { FormEvent, useId, useState, ReactNode } from 'react';
import { DAY_MS } from '@dash-suite/plugin-dash-common';
import {
  PRESETS,
  TimeZoneChoice,
  formatWindow,
  fromInputValue,
  matchingPreset,
  toInputValue,
  zoneLabel,
} from '../../lib/time';
import { TimelineView } from '../../hooks/useTimelineUrlState';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 2),
  },
  spacer: { flex: 1 },
  window: { fontWeight: 600, fontVariantNumeric: 'tabular-nums' },
  custom: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  toggle: {
    padding: theme.spacing(0.5, 1.25),
    textTransform: 'none',
    color: theme.palette.text.primary,
    '&.Mui-selected': {
      color: theme.palette.primary.contrastText,
      backgroundColor: theme.palette.primary.main,
    },
    '&.Mui-selected:hover': {
      backgroundColor: theme.palette.primary.dark,
    },
    '&.Mui-focusVisible, &:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 1,
    },
  },
}));

export interface TimelineToolbarProps {
  from: number;
  to: number;
  tz: TimeZoneChoice;
  onWindow(from: number, to: number): void;
  /** A preset: the last `ms` up to now. */
  onPreset(ms: number): void;
  /** The widest window the backend answers, in days (from the backend's settings). */
  maxWindowDays: number;
  /** Live mode (in the link): the window follows now. */
  liveMode: boolean;
  /** In live mode: how news arrives ("push", "polling every 15 s"). */
  liveNote?: string;
  onLiveMode(liveMode: boolean): void;
  includeDependencies: boolean;
  onIncludeDependencies(include: boolean): void;
  onTimeZone(tz: TimeZoneChoice): void;
  view: TimelineView;
  onView(view: TimelineView): void;
  exporting: boolean;
  onCopyMarkdown(): void;
  onDownloadMarkdown(): void;
  /** More actions, shown before the export buttons (e.g. links into the upstreams). */
  actions?: ReactNode;
}

/** Window presets and custom range, view, live mode, dependencies, time zone and export. */
export function TimelineToolbar(props: TimelineToolbarProps) {
  const { from, to, tz, onWindow, onPreset, liveMode, onLiveMode } = props;
  const { maxWindowDays } = props;
  const maxWindowMs = maxWindowDays * DAY_MS;
  const { includeDependencies, onIncludeDependencies, onTimeZone } = props;
  const { view, onView, exporting, onCopyMarkdown, onDownloadMarkdown } = props;
  const classes = useStyles();
  const id = useId();
  const [customOpen, setCustomOpen] = useState(false);
  const [customFrom, setCustomFrom] = useState('');
  const [customTo, setCustomTo] = useState('');
  const [customError, setCustomError] = useState<string>();
  const preset = matchingPreset(from, to);
  const zone = zoneLabel(tz);

  const openCustom = () => {
    setCustomFrom(toInputValue(from, tz));
    setCustomTo(toInputValue(to, tz));
    setCustomError(undefined);
    setCustomOpen(open => !open);
  };
  const applyCustom = (e: FormEvent) => {
    e.preventDefault();
    const a = fromInputValue(customFrom, tz);
    const b = fromInputValue(customTo, tz);
    if (a === undefined || b === undefined) {
      setCustomError('Enter both times.');
      return;
    }
    if (a >= b) {
      setCustomError('“From” must be before “to”.');
      return;
    }
    if (b - a > maxWindowMs) {
      setCustomError(`At most ${maxWindowDays} days at once.`);
      return;
    }
    setCustomOpen(false);
    onWindow(a, b);
  };

  return (
    <div className={classes.root} role="group" aria-label="Timeline controls">
      <div className={classes.row}>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={preset ?? null}
          aria-label="Time window"
        >
          {PRESETS.map(p => (
            <ToggleButton
              key={p.id}
              value={p.id}
              className={classes.toggle}
              aria-label={`Last ${p.label}`}
              // Pressing the pressed preset again moves its window up to now.
              onClick={() => onPreset(p.ms)}
            >
              {p.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <Button
          size="small"
          startIcon={<DateRangeIcon aria-hidden />}
          aria-expanded={customOpen}
          onClick={openCustom}
        >
          Custom range
        </Button>
        <Tooltip title="Zoom out (twice as long)">
          <IconButton
            size="small"
            aria-label="Zoom out"
            disabled={to - from >= maxWindowMs}
            onClick={() => {
              const span = Math.min(2 * (to - from), maxWindowMs);
              const end = Math.min(Date.now(), to + (span - (to - from)) / 2);
              onWindow(end - span, end);
            }}
          >
            <ZoomOutIcon />
          </IconButton>
        </Tooltip>
        <Typography variant="body2" className={classes.window} aria-live="off">
          {formatWindow(from, to, tz)}
        </Typography>
      </div>
      {customOpen && (
        <form
          className={classes.custom}
          onSubmit={applyCustom}
          aria-label="Custom time window"
        >
          <TextField
            id={`${id}-from`}
            type="datetime-local"
            size="small"
            variant="outlined"
            label={`From (${zone})`}
            value={customFrom}
            onChange={e => setCustomFrom(e.target.value)}
            InputLabelProps={{ shrink: true }}
          />
          <TextField
            id={`${id}-to`}
            type="datetime-local"
            size="small"
            variant="outlined"
            label={`To (${zone})`}
            value={customTo}
            onChange={e => setCustomTo(e.target.value)}
            InputLabelProps={{ shrink: true }}
            error={!!customError}
            helperText={customError}
          />
          <Button
            type="submit"
            variant="contained"
            color="primary"
            size="small"
          >
            Apply
          </Button>
          <Button size="small" onClick={() => setCustomOpen(false)}>
            Cancel
          </Button>
        </form>
      )}
      <div className={classes.row}>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={view}
          aria-label="View"
          onChange={(_e, v: TimelineView | null) => v && onView(v)}
        >
          <ToggleButton
            value="lanes"
            className={classes.toggle}
            aria-label="Lanes per source"
          >
            <ViewStreamIcon fontSize="small" aria-hidden />
            &nbsp;Lanes
          </ToggleButton>
          <ToggleButton
            value="list"
            className={classes.toggle}
            aria-label="List only"
          >
            <ViewListIcon fontSize="small" aria-hidden />
            &nbsp;List
          </ToggleButton>
        </ToggleButtonGroup>
        <FormControlLabel
          control={
            <Switch
              checked={liveMode}
              onChange={e => onLiveMode(e.target.checked)}
              color="primary"
            />
          }
          label="Live"
        />
        {liveMode && props.liveNote && (
          <Typography
            variant="caption"
            color="textSecondary"
            data-testid="live-note"
          >
            {props.liveNote}
          </Typography>
        )}
        <FormControlLabel
          control={
            <Switch
              checked={includeDependencies}
              onChange={e => onIncludeDependencies(e.target.checked)}
              color="primary"
            />
          }
          label="Include dependencies"
        />
        <ToggleButtonGroup
          size="small"
          exclusive
          value={tz}
          aria-label="Time zone"
          onChange={(_e, v: TimeZoneChoice | null) => v && onTimeZone(v)}
        >
          <ToggleButton
            value="local"
            className={classes.toggle}
            aria-label="Local time"
          >
            Local
          </ToggleButton>
          <ToggleButton value="utc" className={classes.toggle} aria-label="UTC">
            UTC
          </ToggleButton>
        </ToggleButtonGroup>
        <span className={classes.spacer} />
        {props.actions}
        <Button
          size="small"
          startIcon={<FileCopyIcon aria-hidden />}
          disabled={exporting}
          onClick={onCopyMarkdown}
        >
          Copy as Markdown
        </Button>
        <Button
          size="small"
          startIcon={<GetAppIcon aria-hidden />}
          disabled={exporting}
          onClick={onDownloadMarkdown}
        >
          Download Markdown
        </Button>
      </div>
    </div>
  );
}
