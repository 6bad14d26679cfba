import { ResponseErrorPanel } from '@backstage/core-components';
import { Button, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';

const useStyles = makeStyles(theme => ({
  hint: { color: theme.palette.text.secondary },
}));

/** The timeline could not be loaded: why, in the backend's words when it sent some, and a retry. */
export function TimelineError(props: { error: Error; onRetry(): void }) {
  const classes = useStyles();
  const error = props.error as Error & {
    statusCode?: number;
    cause?: Error;
  };
  // The backend's own words when it sent some (e.g. an entity that does not exist).
  const reason =
    error.name === 'ResponseError' ? error.cause?.message : error.message;
  // A 404 that no Backstage error handler wrote: nothing serves /api/dash.
  const routeMissing =
    error.statusCode === 404 && error.cause?.name !== 'NotFoundError';
  return (
    <div>
      {routeMissing && (
        <Alert severity="warning" className={classes.hint}>
          The DASH backend did not answer at /api/dash: is
          @dash-suite/plugin-dash-backend installed in the backend?
        </Alert>
      )}
      <ResponseErrorPanel
        title={`Could not load the DASH timeline${reason ? `: ${reason}` : ''}`}
        error={props.error}
      />
      <Button
        variant="outlined"
        onClick={props.onRetry}
        style={{ marginTop: 8 }}
      >
        Try again
      </Button>
    </div>
  );
}
