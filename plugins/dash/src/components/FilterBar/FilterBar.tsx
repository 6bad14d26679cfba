import type { DashEvent } from '@dash-suite/plugin-dash-common';
import { DASH_SEVERITIES } from '@dash-suite/plugin-dash-common';
import {
  Button,
  Chip,
  InputAdornment,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import SearchIcon from '@material-ui/icons/Search';
import { forwardRef, ReactElement, useEffect, useState } from 'react';
import { countBy, EventFilters, hasFilters } from '../../lib/events';
import {
  kindLabel,
  severityPresentation,
  sourcePresentation,
} from '../../lib/presentation';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 2),
  },
  group: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    margin: 0,
    padding: 0,
    border: 0,
  },
  legend: {
    marginRight: theme.spacing(0.5),
    color: theme.palette.text.secondary,
    fontSize: theme.typography.body2.fontSize,
    float: 'left',
  },
  search: { minWidth: 240 },
}));

function toggle(list: string[], value: string): string[] {
  return list.includes(value)
    ? list.filter(v => v !== value)
    : [...list, value];
}

interface ToggleChipProps {
  label: string;
  count?: number;
  pressed: boolean;
  icon?: ReactElement;
  onToggle(): void;
}

function ToggleChip(props: ToggleChipProps) {
  const { label, count, pressed, icon, onToggle } = props;
  return (
    <Chip
      size="small"
      clickable
      icon={icon}
      color={pressed ? 'primary' : 'default'}
      variant={pressed ? 'default' : 'outlined'}
      aria-pressed={pressed}
      label={count === undefined ? label : `${label} ${count}`}
      onClick={onToggle}
      component="button"
    />
  );
}

export interface FilterBarProps {
  /** Events in the window before filtering, for the counts. */
  events: DashEvent[];
  /** Source ids with their titles, in lane order. */
  sources: { id: string; title: string }[];
  filters: EventFilters;
  onChange(filters: EventFilters): void;
}

/** Filters by source, kind and severity (none pressed means all) and search over titles. */
export const FilterBar = forwardRef<HTMLInputElement, FilterBarProps>(
  function FilterBarView(props, searchRef) {
    const { events, sources, filters, onChange } = props;
    const classes = useStyles();
    const bySource = countBy(events, 'source');
    const byKind = countBy(events, 'kind');
    const bySeverity = countBy(events, 'severity');
    const kinds = [...new Set([...byKind.keys(), ...filters.kinds])].sort();

    // Typing updates the URL after a short pause, not on every key.
    const [text, setText] = useState(filters.q);
    useEffect(() => setText(filters.q), [filters.q]);
    useEffect(() => {
      if (text === filters.q) return undefined;
      const timer = setTimeout(() => onChange({ ...filters, q: text }), 250);
      return () => clearTimeout(timer);
    }, [text, filters, onChange]);

    return (
      <div className={classes.root} role="search" aria-label="Filter events">
        <TextField
          className={classes.search}
          size="small"
          variant="outlined"
          placeholder="Search titles"
          value={text}
          onChange={e => setText(e.target.value)}
          inputRef={searchRef}
          inputProps={{ 'aria-label': 'Search event titles' }}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" aria-hidden />
              </InputAdornment>
            ),
          }}
        />
        <fieldset className={classes.group}>
          <legend className={classes.legend}>Source</legend>
          {sources.map(({ id, title }) => {
            const { Icon } = sourcePresentation(id, title);
            return (
              <ToggleChip
                key={id}
                label={title}
                count={bySource.get(id) ?? 0}
                icon={<Icon fontSize="small" aria-hidden />}
                pressed={filters.sources.includes(id)}
                onToggle={() =>
                  onChange({ ...filters, sources: toggle(filters.sources, id) })
                }
              />
            );
          })}
        </fieldset>
        <fieldset className={classes.group}>
          <legend className={classes.legend}>Severity</legend>
          {DASH_SEVERITIES.map(sev => {
            const { label, Icon, color } = severityPresentation(sev);
            return (
              <ToggleChip
                key={sev}
                label={label}
                count={bySeverity.get(sev) ?? 0}
                icon={<Icon fontSize="small" aria-hidden style={{ color }} />}
                pressed={filters.severities.includes(sev)}
                onToggle={() =>
                  onChange({
                    ...filters,
                    severities: toggle(filters.severities, sev),
                  })
                }
              />
            );
          })}
        </fieldset>
        <fieldset className={classes.group}>
          <legend className={classes.legend}>Kind</legend>
          {kinds.length === 0 && (
            <Typography variant="body2" color="textSecondary">
              none in this window
            </Typography>
          )}
          {kinds.map(kind => (
            <ToggleChip
              key={kind}
              label={kindLabel(kind)}
              count={byKind.get(kind) ?? 0}
              pressed={filters.kinds.includes(kind)}
              onToggle={() =>
                onChange({ ...filters, kinds: toggle(filters.kinds, kind) })
              }
            />
          ))}
        </fieldset>
        {hasFilters(filters) && (
          <Button
            size="small"
            onClick={() => {
              setText('');
              onChange({ sources: [], kinds: [], severities: [], q: '' });
            }}
          >
            Clear filters
          </Button>
        )}
      </div>
    );
  },
);
