import { Progress } from '@backstage/core-components';
import { Button, Typography, makeStyles } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { ReactNode } from 'react';

const useStyles = makeStyles(theme => ({
  empty: { padding: theme.spacing(1, 0) },
}));

/** The card is waiting for its first answer. */
export function CardLoading({ what }: { what: string }) {
  return (
    <div role="status" aria-label={`Loading ${what}`}>
      <Progress />
    </div>
  );
}

/** Nothing to show, and why (with a hint when one helps). */
export function CardEmpty({
  children,
  hint,
}: {
  children: ReactNode;
  hint?: ReactNode;
}) {
  const classes = useStyles();
  return (
    <div className={classes.empty}>
      <Typography variant="body1">{children}</Typography>
      {hint && (
        <Typography variant="body2" color="textSecondary">
          {hint}
        </Typography>
      )}
    </div>
  );
}

/** The request failed: the message, and a way to try again. The page around stays intact. */
export function CardError({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: Error | string;
  onRetry?: () => void;
}) {
  const message = typeof error === 'string' ? error : error.message;
  return (
    <Alert
      severity="error"
      action={
        onRetry && (
          <Button color="inherit" size="small" onClick={onRetry}>
            Retry
          </Button>
        )
      }
    >
      {title}: {message}
    </Alert>
  );
}

/** The app has no DASH API: the cards need `@dash-suite/plugin-dash` installed. */
export function NoDashApi() {
  return (
    <CardEmpty hint="Install @dash-suite/plugin-dash in the app; it provides the API these cards read.">
      DASH is not installed.
    </CardEmpty>
  );
}
