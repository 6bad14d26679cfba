import { DiscoveryActionResult } from '@dash-suite/plugin-project-catalog-common';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { RefLink } from '../AuditLogCard/auditEntry';
import { DONE } from './discoveryForms';

const useStyles = makeStyles(theme => ({
  list: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2) },
}));

export interface ActionResultsProps {
  results: DiscoveryActionResult[];
  /** Suggestion names by id, for the lines. */
  names: Record<string, string>;
  onClose(): void;
}

/** How each action of the last request ended: done (with the entity), or why it failed. */
export const ActionResults = ({
  results,
  names,
  onClose,
}: ActionResultsProps) => {
  const classes = useStyles();
  const failed = results.filter(r => !r.ok).length;
  const succeeded = results.length - failed;
  let severity: 'success' | 'warning' | 'error' = 'warning';
  if (!failed) severity = 'success';
  else if (!succeeded) severity = 'error';
  return (
    <Box mb={2} role="region" aria-label="Results">
      <Alert severity={severity} onClose={onClose}>
        <Typography variant="body2">
          {succeeded} succeeded, {failed} failed
          {failed ? '; the failed ones are still selected.' : '.'}
        </Typography>
        <ul className={classes.list}>
          {results.map(r => (
            <li key={`${r.id}:${r.action}`}>
              <strong>{names[r.id] ?? r.id}</strong>:{' '}
              {r.ok ? (
                <>
                  {DONE[r.action]}
                  {r.entityRef && (
                    <>
                      {r.action === 'merge' ? ' into ' : ' as '}
                      <RefLink
                        entityRef={r.entityRef}
                        defaultKind="component"
                      />
                    </>
                  )}
                </>
              ) : (
                <>
                  Failed ({r.status}): {r.error.message}
                </>
              )}
            </li>
          ))}
        </ul>
      </Alert>
    </Box>
  );
};
