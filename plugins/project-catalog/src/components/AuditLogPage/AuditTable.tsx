import {
  AuditEntry,
  projectField,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { memo } from 'react';
import { fieldText } from '../../lib/fieldText';
import {
  Actor,
  OutcomeChip,
  RefLink,
  entryAfter,
  fieldLabel,
  shortValue,
} from '../AuditLogCard/auditEntry';
import { formatFullTime, formatTime } from '../cardStates';

const useStyles = makeStyles(theme => ({
  nowrap: { whiteSpace: 'nowrap' },
  change: { maxWidth: 360, overflowWrap: 'anywhere' },
  reason: { maxWidth: 320, overflowWrap: 'anywhere' },
  muted: { color: theme.palette.text.secondary },
}));

/** A value, short, with the whole of it on hover. */
const Value = ({ value }: { value: unknown }) => {
  const full = fieldText(value);
  return <span title={full || undefined}>{shortValue(value)}</span>;
};

/** Before → after of a field; only the value set when there is no before. */
const Change = ({ entry }: { entry: AuditEntry }) => {
  const after = entryAfter(entry);
  if (entry.before === undefined && after === undefined) return <>—</>;
  if (entry.before === undefined || entry.field?.includes(',')) {
    return <Value value={after} />;
  }
  return (
    <>
      <Value value={entry.before} /> → <Value value={after} />
    </>
  );
};

/** One entry; memoized, so that a page of older entries renders only its own rows. */
const AuditRow = memo(({ entry }: { entry: AuditEntry }) => {
  const classes = useStyles();
  return (
    <TableRow>
      <TableCell className={classes.nowrap}>
        <time dateTime={entry.time} title={formatFullTime(entry.time)}>
          {formatTime(entry.time)}
        </time>
      </TableCell>
      <TableCell>
        <Actor actor={entry.actor} />
      </TableCell>
      <TableCell className={classes.nowrap}>{entry.action}</TableCell>
      <TableCell>
        {entry.entityRef ? (
          <RefLink entityRef={entry.entityRef} defaultKind="component" />
        ) : (
          <span className={classes.muted}>—</span>
        )}
      </TableCell>
      <TableCell>
        {entry.field ? (
          <span title={projectField(entry.field) ? entry.field : undefined}>
            {fieldLabel(entry.field)}
          </span>
        ) : (
          <span className={classes.muted}>—</span>
        )}
      </TableCell>
      <TableCell className={classes.change}>
        <Change entry={entry} />
      </TableCell>
      <TableCell>
        <OutcomeChip entry={entry} />
      </TableCell>
      <TableCell className={classes.reason}>
        {entry.reason && (
          <Typography variant="body2">{entry.reason}</Typography>
        )}
      </TableCell>
    </TableRow>
  );
});

export interface AuditTableProps {
  entries: AuditEntry[];
}

/** The audit entries, newest first: when, who, what, on which entity, and how it ended. */
export const AuditTable = ({ entries }: AuditTableProps) => (
  <Table size="small" aria-label="Audit log">
    <TableHead>
      <TableRow>
        <TableCell>Time</TableCell>
        <TableCell>Actor</TableCell>
        <TableCell>Action</TableCell>
        <TableCell>Entity</TableCell>
        <TableCell>Field</TableCell>
        <TableCell>Change</TableCell>
        <TableCell>Outcome</TableCell>
        <TableCell>Reason</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {entries.map(entry => (
        <AuditRow key={entry.id} entry={entry} />
      ))}
    </TableBody>
  </Table>
);
