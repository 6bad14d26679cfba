import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  AuditEntry,
  projectField,
} from '@dash-suite/plugin-project-catalog-common';
import { Chip, makeStyles } from '@material-ui/core';
import { fieldText } from '../../lib/fieldText';

/**
 * How audit entries read, shared by the entity card and the audit page: the values of a change,
 * the field's label, links for the actor and the entity, and the outcome.
 */

/** A value cut to `max` characters; `(empty)` for nothing. */
export function shortValue(value: unknown, max = 60): string {
  const text = fieldText(value);
  if (text === '') return '(empty)';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The labels of an entry's field (`tier,tags` → `Tier, Tags`); unknown keys as they are. */
export function fieldLabel(field: string): string {
  return field
    .split(',')
    .map(k => projectField(k)?.label ?? k)
    .join(', ');
}

/**
 * The value an entry set. A refused write records the request's whole `set`; for an entry of one
 * field, that field's value is taken from it.
 */
export function entryAfter(entry: AuditEntry): unknown {
  const keys = entry.field?.split(',') ?? [];
  return keys.length === 1 &&
    entry.after &&
    typeof entry.after === 'object' &&
    !Array.isArray(entry.after) &&
    keys[0] in entry.after
    ? (entry.after as Record<string, unknown>)[keys[0]]
    : entry.after;
}

/** An entity ref as a link to its page; text that is no entity ref stays text. */
export const RefLink = ({
  entityRef,
  defaultKind,
}: {
  entityRef: string;
  defaultKind: string;
}) => {
  try {
    const ref = parseEntityRef(entityRef);
    return <EntityRefLink entityRef={ref} defaultKind={defaultKind} />;
  } catch {
    return <>{entityRef}</>;
  }
};

/** Who made a change: a link to the user (or service) entity. */
export const Actor = ({ actor }: { actor: string }) => (
  <RefLink entityRef={actor} defaultKind="user" />
);

const useChipStyles = makeStyles(theme => ({
  failed: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

/** The outcome of a write; refused and failed stand out, succeeded stays quiet. */
export const OutcomeChip = ({ entry }: { entry: AuditEntry }) => {
  const classes = useChipStyles();
  if (entry.outcome === 'succeeded') {
    return <Chip size="small" variant="outlined" label="succeeded" />;
  }
  return (
    <Chip
      size="small"
      label={entry.outcome}
      color={entry.outcome === 'refused' ? 'secondary' : 'default'}
      className={entry.outcome === 'failed' ? classes.failed : undefined}
      title={entry.reason}
    />
  );
};
