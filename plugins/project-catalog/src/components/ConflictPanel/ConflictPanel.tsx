import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { DateTime } from 'luxon';

/** One field in a conflict: the value it had, theirs now, and yours. */
export interface ConflictRow {
  key: string;
  label: string;
  theirs: string;
  yours: string;
}

/** What was saved first: a project or a campaign, as the backend's 409 carries it. */
export interface ConflictCurrent {
  version: number;
  updatedBy?: string;
  updatedAt?: string;
}

export interface ConflictPanelProps {
  current: ConflictCurrent;
  /** What was changed, in words: `project` (the default) or `campaign`. */
  noun?: string;

  rows: ConflictRow[];
  busy?: boolean;
  /** Send your change again, on top of the current version. */
  onReapply(): void;
  /** Drop your change and start again from the current values. */
  onDiscard(): void;
}

const show = (text: string) => (text === '' ? '(empty)' : text);

/** Shows who saved first, their values against yours, and the ways on. */
export const ConflictPanel = ({
  current,
  noun = 'project',
  rows,
  busy,
  onReapply,
  onDiscard,
}: ConflictPanelProps) => {
  const parsed = current.updatedAt
    ? DateTime.fromISO(current.updatedAt)
    : undefined;
  const at = parsed?.isValid ? parsed : undefined;
  return (
    <Alert severity="warning" role="alert" aria-label="Version conflict">
      <Typography variant="body2" gutterBottom>
        {current.updatedBy || 'Someone'} changed this {noun}
        {at ? (
          <>
            {' '}
            <time dateTime={current.updatedAt} title={current.updatedAt}>
              {at.toRelative()}
            </time>
          </>
        ) : null}{' '}
        (version {current.version}) while you were editing.
      </Typography>
      {rows.length > 0 && (
        <Table size="small" aria-label="Their values and yours">
          <TableHead>
            <TableRow>
              <TableCell>Field</TableCell>
              <TableCell>Theirs (saved)</TableCell>
              <TableCell>Yours</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(row => (
              <TableRow key={row.key}>
                <TableCell>{row.label}</TableCell>
                <TableCell>{show(row.theirs)}</TableCell>
                <TableCell>{show(row.yours)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Box mt={1} display="flex" style={{ gap: 8 }}>
        <Button
          size="small"
          variant="contained"
          color="primary"
          disabled={busy}
          onClick={onReapply}
        >
          Apply mine on top
        </Button>
        <Button size="small" disabled={busy} onClick={onDiscard}>
          Keep theirs
        </Button>
      </Box>
    </Alert>
  );
};
