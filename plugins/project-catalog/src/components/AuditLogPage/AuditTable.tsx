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
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
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

/**
 * Every row's height (cells keep to one line, the whole text on hover), as DASH's event list
 * keeps its rows, so the virtualizer needs no measuring; and rows drawn beyond the visible ones.
 */
const ROW_HEIGHT = 49;
const OVERSCAN = 10;

const useStyles = makeStyles(theme => ({
  // The table scrolls inside the page, so only the rows in view are in the DOM (as DASH's
  // event list does), however many "Load older" brought in.
  scroller: { maxHeight: '70vh', overflow: 'auto' },
  row: { height: ROW_HEIGHT },
  nowrap: { whiteSpace: 'nowrap' },
  // One line each: the whole value or reason is in the title.
  change: {
    maxWidth: 360,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  reason: {
    maxWidth: 320,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
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
const AuditRow = memo(
  ({ entry, index }: { entry: AuditEntry; index: number }) => {
    const classes = useStyles();
    return (
      <TableRow className={classes.row} aria-rowindex={index + 2}>
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
            <Typography variant="body2" noWrap title={entry.reason}>
              {entry.reason}
            </Typography>
          )}
        </TableCell>
      </TableRow>
    );
  },
);

export interface AuditTableProps {
  entries: AuditEntry[];
}

/**
 * The audit entries, newest first: when, who, what, on which entity, and how it ended. Rows are
 * virtualized with `@tanstack/react-virtual` (spacer rows above and below the ones in view);
 * `aria-rowcount` tells assistive technology how many there are in all.
 */
export const AuditTable = ({ entries }: AuditTableProps) => {
  const classes = useStyles();
  const scrollerRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: i => entries[i]?.id ?? i,
  });
  const items = virtualizer.getVirtualItems();
  const top = items.length ? items[0].start : 0;
  const bottom = items.length
    ? virtualizer.getTotalSize() - items[items.length - 1].end
    : 0;
  return (
    <div ref={scrollerRef} className={classes.scroller} data-virtual-scroller>
      <Table
        size="small"
        stickyHeader
        aria-label="Audit log"
        aria-rowcount={entries.length + 1}
      >
        <TableHead>
          <TableRow aria-rowindex={1}>
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
          {top > 0 && <tr aria-hidden style={{ height: top }} />}
          {items.map(item => (
            <AuditRow
              key={item.key}
              entry={entries[item.index]}
              index={item.index}
            />
          ))}
          {bottom > 0 && <tr aria-hidden style={{ height: bottom }} />}
        </TableBody>
      </Table>
    </div>
  );
};
