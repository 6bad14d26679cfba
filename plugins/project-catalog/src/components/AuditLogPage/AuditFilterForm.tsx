import {
  PROJECT_FIELD_KEYS,
  projectField,
} from '@dash-suite/plugin-project-catalog-common';
import { Box, Button, Grid, TextField } from '@material-ui/core';
import { Autocomplete } from '@material-ui/lab';
import { useState } from 'react';
import {
  AUDIT_ACTIONS,
  AuditFilterKey,
  AuditFilters,
  FilterProblems,
  NO_FILTERS,
  draftOfFilters,
  filtersOfDraft,
  hasProblems,
} from './auditFilters';

export interface AuditFilterFormProps {
  /** The filters of the URL. */
  filters: AuditFilters;
  /** Their problems (a URL typed or edited by hand). */
  problems: FilterProblems;
  /** Called with valid, normalized filters. */
  onApply(filters: AuditFilters): void;
}

const HINTS: Record<AuditFilterKey, string> = {
  actor: 'Who made the change, e.g. ada or user:default/ada',
  entity: 'e.g. payments-api or component:default/payments-api',
  field: 'A project field, or any field key',
  action: 'e.g. project.update',
  from: 'Your local time',
  to: 'Your local time; entries before it',
};

/**
 * The filters of the audit page, edited as a draft: applying a valid draft writes the URL; a
 * draft with problems shows them under its inputs and asks nothing.
 */
export const AuditFilterForm = ({
  filters,
  problems: urlProblems,
  onApply,
}: AuditFilterFormProps) => {
  const [draft, setDraft] = useState<AuditFilters>(() =>
    draftOfFilters(filters),
  );
  const [problems, setProblems] = useState<FilterProblems>(urlProblems);

  const set = (key: AuditFilterKey, value: string) => {
    setDraft(d => ({ ...d, [key]: value }));
    setProblems(({ [key]: _, ...rest }) => rest);
  };

  const apply = () => {
    const result = filtersOfDraft(draft);
    setProblems(result.problems);
    if (!hasProblems(result.problems)) onApply(result.filters);
  };

  const common = (key: AuditFilterKey, label: string) => ({
    id: `audit-filter-${key}`,
    label,
    variant: 'outlined' as const,
    size: 'small' as const,
    fullWidth: true,
    error: Boolean(problems[key]),
    helperText: problems[key] ?? HINTS[key],
  });

  const text = (key: AuditFilterKey, label: string) => (
    <TextField
      {...common(key, label)}
      value={draft[key]}
      onChange={e => set(key, e.target.value)}
    />
  );

  const choice = (
    key: 'field' | 'action',
    label: string,
    options: readonly string[],
    optionLabel: (option: string) => string,
  ) => (
    <Autocomplete
      freeSolo
      options={options as string[]}
      // Both controlled: with `value` alone unset, the Autocomplete empties the input on mount.
      value={draft[key] || null}
      onChange={(_, next) => set(key, next ?? '')}
      inputValue={draft[key]}
      onInputChange={(_, next) => set(key, next)}
      renderOption={option => optionLabel(option)}
      renderInput={params => <TextField {...params} {...common(key, label)} />}
    />
  );

  const time = (key: 'from' | 'to', label: string) => (
    <TextField
      {...common(key, label)}
      type="datetime-local"
      InputLabelProps={{ shrink: true }}
      value={draft[key]}
      onChange={e => set(key, e.target.value)}
    />
  );

  const empty = Object.values(draft).every(v => !v.trim());

  return (
    <form
      noValidate
      aria-label="Audit filters"
      onSubmit={e => {
        e.preventDefault();
        apply();
      }}
    >
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6} md={4}>
          {text('actor', 'Actor')}
        </Grid>
        <Grid item xs={12} sm={6} md={4}>
          {text('entity', 'Entity')}
        </Grid>
        <Grid item xs={12} sm={6} md={4}>
          {choice('field', 'Field', PROJECT_FIELD_KEYS, key => {
            const label = projectField(key)?.label;
            return label && label !== key ? `${label} (${key})` : key;
          })}
        </Grid>
        <Grid item xs={12} sm={6} md={4}>
          {choice('action', 'Action', AUDIT_ACTIONS, action => action)}
        </Grid>
        <Grid item xs={12} sm={6} md={4}>
          {time('from', 'From')}
        </Grid>
        <Grid item xs={12} sm={6} md={4}>
          {time('to', 'To')}
        </Grid>
      </Grid>
      <Box mt={2} display="flex" style={{ gap: 8 }}>
        <Button type="submit" color="primary" variant="contained">
          Apply filters
        </Button>
        <Button
          disabled={empty}
          onClick={() => {
            setDraft(NO_FILTERS);
            setProblems({});
            onApply(NO_FILTERS);
          }}
        >
          Clear
        </Button>
      </Box>
    </form>
  );
};
