import {
  DiscoveryStatus,
  DiscoveryUpstreamState,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Button,
  Chip,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { formatFullTime, formatRelative } from '../cardStates';

/** How an upstream is named on the page. */
export const SOURCE_TITLES: Record<string, string> = {
  github: 'GitHub',
  pagerduty: 'PagerDuty',
};

const useStyles = makeStyles(theme => ({
  ok: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  problem: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  warning: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  message: { overflowWrap: 'anywhere' },
}));

/** A time as `3 h ago`, the full time on hover; `never` without one. */
export const When = ({ iso, now }: { iso?: string; now: number }) =>
  iso ? (
    <time dateTime={iso} title={formatFullTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  ) : (
    <>never</>
  );

const StatusChip = ({ state }: { state: DiscoveryUpstreamState }) => {
  const classes = useStyles();
  let className: string | undefined;
  if (state.status === 'ok') className = classes.ok;
  else if (state.status === 'rate-limited' || state.status === 'timed-out')
    className = classes.warning;
  else if (state.status === 'unauthorized' || state.status === 'error')
    className = classes.problem;
  return (
    <Chip
      size="small"
      label={state.status.replace(/-/g, ' ')}
      className={className}
    />
  );
};

/** The latest time any upstream was scanned, or undefined when none was. */
export function lastScanAt(status?: DiscoveryStatus): string | undefined {
  return status?.upstreams
    .map(u => u.lastRunAt)
    .filter((t): t is string => Boolean(t))
    .sort()
    .pop();
}

export interface ScanStatePanelProps {
  status: DiscoveryStatus;
  now: number;
  canReview: boolean;
  /** The permission answer is not in yet. */
  permissionLoading: boolean;
  scanning: boolean;
  scanError?: string;
  onScan(): void;
  onDismissScanError(): void;
}

/**
 * Each upstream's last scan (how it ended and why, when, and what it found) and "Scan now" for
 * reviewers. With discovery off, what turns it on instead.
 */
export const ScanStatePanel = ({
  status,
  now,
  canReview,
  permissionLoading,
  scanning,
  scanError,
  onScan,
  onDismissScanError,
}: ScanStatePanelProps) => {
  const classes = useStyles();
  if (!status.enabled) {
    return (
      <Alert severity="info" role="status">
        Discovery is off: it does not scan GitHub or PagerDuty. Set{' '}
        <code>projectCatalog.discovery.enabled: true</code> in the backend's
        app-config to turn it on. Suggestions found before it was turned off can
        still be reviewed below.
      </Alert>
    );
  }
  const scanTip = canReview
    ? 'Scan every configured upstream now'
    : 'Scanning needs the permission project-catalog.discovery.review';
  return (
    <>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        mb={1}
        style={{ gap: 8 }}
      >
        <Typography variant="body2" color="textSecondary">
          Discovery scans on a schedule; a failed upstream keeps the suggestions
          of its last successful scan.
        </Typography>
        <Tooltip title={scanTip}>
          <span>
            <Button
              variant="outlined"
              color="primary"
              onClick={onScan}
              disabled={!canReview || permissionLoading || scanning}
            >
              {scanning ? 'Scanning…' : 'Scan now'}
            </Button>
          </span>
        </Tooltip>
      </Box>
      {scanning && (
        <Box mb={1}>
          <LinearProgress aria-label="Scanning" />
        </Box>
      )}
      {scanError && (
        <Box mb={1}>
          <Alert severity="error" onClose={onDismissScanError}>
            The scan failed: {scanError}
          </Alert>
        </Box>
      )}
      {!canReview && !permissionLoading && (
        <Typography variant="caption" color="textSecondary" component="p">
          Scanning needs the permission project-catalog.discovery.review.
        </Typography>
      )}
      <Table size="small" aria-label="Scan state">
        <TableHead>
          <TableRow>
            <TableCell>Upstream</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Last run</TableCell>
            <TableCell>Last success</TableCell>
            <TableCell align="right">Found</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {status.upstreams.map(u => (
            <TableRow key={u.id}>
              <TableCell>{SOURCE_TITLES[u.id] ?? u.id}</TableCell>
              <TableCell>
                <StatusChip state={u} />
                {u.message && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                    className={classes.message}
                  >
                    {u.message}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                <When iso={u.lastRunAt} now={now} />
              </TableCell>
              <TableCell>
                <When iso={u.lastSuccessAt} now={now} />
              </TableCell>
              <TableCell align="right">{u.found ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
};
