import { Button, Tooltip } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';

export interface RefreshButtonProps {
  /** undefined while the permission is being checked. */
  allowed: boolean | undefined;
  running: boolean;
  onRefresh(): void;
}

/**
 * Fetches every source again, bypassing freshness. It spends the upstreams' budget, so it is
 * offered to those with `dash.refresh`, and explains itself to the others.
 */
export function RefreshButton(props: RefreshButtonProps) {
  const { allowed, running, onRefresh } = props;
  const hint =
    allowed === false
      ? 'You are not allowed to refresh DASH sources'
      : 'Fetch every source again now';
  return (
    <Tooltip title={hint}>
      {/* A span so that the tooltip also explains a disabled button. */}
      <span>
        <Button
          size="small"
          variant="outlined"
          startIcon={<RefreshIcon aria-hidden />}
          disabled={allowed !== true || running}
          onClick={onRefresh}
        >
          {running ? 'Refreshing…' : 'Refresh sources'}
        </Button>
      </span>
    </Tooltip>
  );
}
