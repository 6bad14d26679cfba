import { Link } from '@backstage/core-components';
import {
  DiscoverySuggestion,
  SuggestionStatus,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Checkbox,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { ReactNode } from 'react';
import { Actor, RefLink } from '../AuditLogCard/auditEntry';
import { SOURCE_TITLES, When } from './ScanStatePanel';

const useStyles = makeStyles(theme => ({
  cell: { verticalAlign: 'top' },
  name: { fontWeight: theme.typography.fontWeightBold as number },
  muted: { color: theme.palette.text.secondary },
  why: {
    display: 'block',
    color: theme.palette.text.secondary,
    overflowWrap: 'anywhere',
  },
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  description: { maxWidth: 360, overflowWrap: 'anywhere' },
}));

const DECIDED: Record<SuggestionStatus, string> = {
  open: 'Open',
  adopted: 'Adopted',
  ignored: 'Ignored',
  merged: 'Merged',
};

/** One inferred value with the evidence for it. */
const Inferred = ({
  label,
  value,
  why,
}: {
  label: string;
  value?: ReactNode;
  why?: string;
}) => {
  const classes = useStyles();
  if (!value) return null;
  return (
    <Box mb={0.5}>
      <Typography variant="body2" component="span">
        {label}: {value}
      </Typography>
      {why && (
        <Typography variant="caption" className={classes.why}>
          why: {why}
        </Typography>
      )}
    </Box>
  );
};

export interface SuggestionTableProps {
  suggestions: DiscoverySuggestion[];
  status: SuggestionStatus;
  now: number;
  /** Checkboxes for bulk actions; only open suggestions, only for reviewers. */
  selectable: boolean;
  selected: ReadonlySet<string>;
  onSelect(ids: string[], checked: boolean): void;
}

/**
 * The suggestions: what discovery found and inferred (and why), its links, a possible match in
 * the catalog, when it was seen; for decided ones who decided, when, and the entity.
 */
export const SuggestionTable = ({
  suggestions,
  status,
  now,
  selectable,
  selected,
  onSelect,
}: SuggestionTableProps) => {
  const classes = useStyles();
  const decided = status !== 'open';
  const ids = suggestions.map(s => s.id);
  const selectedHere = ids.filter(id => selected.has(id)).length;
  return (
    <Table size="small" aria-label="Suggestions">
      <TableHead>
        <TableRow>
          {selectable && (
            <TableCell padding="checkbox">
              <Checkbox
                inputProps={{ 'aria-label': 'Select all on this page' }}
                checked={ids.length > 0 && selectedHere === ids.length}
                indeterminate={selectedHere > 0 && selectedHere < ids.length}
                disabled={!ids.length}
                onChange={e => onSelect(ids, e.target.checked)}
              />
            </TableCell>
          )}
          <TableCell>Suggestion</TableCell>
          <TableCell>Inferred</TableCell>
          <TableCell>Links</TableCell>
          <TableCell>Seen</TableCell>
          {decided && <TableCell>Decision</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {suggestions.map(s => (
          <TableRow key={s.id} selected={selected.has(s.id)}>
            {selectable && (
              <TableCell padding="checkbox" className={classes.cell}>
                <Checkbox
                  inputProps={{ 'aria-label': `Select ${s.name}` }}
                  checked={selected.has(s.id)}
                  onChange={e => onSelect([s.id], e.target.checked)}
                />
              </TableCell>
            )}
            <TableCell className={classes.cell}>
              <Typography variant="body2" className={classes.name}>
                {s.name}
              </Typography>
              {s.title && <Typography variant="body2">{s.title}</Typography>}
              <Box display="flex" alignItems="center" style={{ gap: 4 }}>
                <Chip
                  size="small"
                  variant="outlined"
                  label={SOURCE_TITLES[s.source] ?? s.source}
                />
                <Typography variant="caption" className={classes.muted}>
                  {s.id}
                </Typography>
              </Box>
              {s.description && (
                <Typography
                  variant="caption"
                  className={`${classes.why} ${classes.description}`}
                >
                  {s.description}
                </Typography>
              )}
            </TableCell>
            <TableCell className={classes.cell}>
              <Inferred label="Type" value={s.type} why={s.evidence.type} />
              <Inferred
                label="Owner"
                value={
                  s.owner && <RefLink entityRef={s.owner} defaultKind="group" />
                }
                why={s.evidence.owner}
              />
              <Inferred label="Language" value={s.language} />
              {!s.type && !s.owner && !s.language && (
                <Typography variant="body2" className={classes.muted}>
                  Nothing inferred
                </Typography>
              )}
            </TableCell>
            <TableCell className={classes.cell}>
              {s.links.length > 0 && (
                <ul className={classes.list}>
                  {s.links.map(l => (
                    <li key={l.url}>
                      <Link to={l.url}>{l.title || l.url}</Link>
                    </li>
                  ))}
                </ul>
              )}
              {s.evidence.possibleMatch && (
                <Typography variant="body2" component="div">
                  Possible match:{' '}
                  <RefLink
                    entityRef={s.evidence.possibleMatch}
                    defaultKind="component"
                  />
                </Typography>
              )}
            </TableCell>
            <TableCell className={classes.cell}>
              <Typography variant="body2">
                First seen <When iso={s.firstSeenAt} now={now} />
              </Typography>
              <Typography variant="body2">
                Last seen <When iso={s.lastSeenAt} now={now} />
              </Typography>
            </TableCell>
            {decided && (
              <TableCell className={classes.cell}>
                <Typography variant="body2">
                  {DECIDED[s.status]}
                  {s.decidedBy && (
                    <>
                      {' by '}
                      <Actor actor={s.decidedBy} />
                    </>
                  )}
                  {s.decidedAt && (
                    <>
                      {' '}
                      <When iso={s.decidedAt} now={now} />
                    </>
                  )}
                </Typography>
                {s.entityRef && (
                  <Typography variant="body2">
                    {s.status === 'merged' ? 'Into ' : 'As '}
                    <RefLink entityRef={s.entityRef} defaultKind="component" />
                  </Typography>
                )}
                {s.reason && (
                  <Typography variant="body2" className={classes.why}>
                    Reason: {s.reason}
                  </Typography>
                )}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
