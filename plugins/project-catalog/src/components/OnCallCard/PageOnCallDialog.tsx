import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { safeLink } from '@dash-suite/plugin-dash-common';
import {
  PAGE_LIMITS,
  PAGE_SEVERITIES,
  PageOnCallResult,
  PageSeverity,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { projectCatalogApiRef } from '../../api';
import { messageOf } from '../../lib/writeError';

/** What is wrong with a summary, or undefined when it can be sent. */
export function summaryProblem(summary: string): string | undefined {
  if (!summary.trim())
    return 'Say what is wrong: it becomes the incident title.';
  if (summary.length > PAGE_LIMITS.summaryLength)
    return `At most ${PAGE_LIMITS.summaryLength} characters (PagerDuty cuts the rest).`;
  return undefined;
}

export interface PageOnCallDialogProps {
  entityRef: string;
  open: boolean;
  onClose: () => void;
}

/**
 * Confirms a page: the summary (the incident title), severity and details, then asks the
 * backend to open a PagerDuty incident. Nothing is sent before "Page now".
 */
export function PageOnCallDialog(props: PageOnCallDialogProps) {
  const { entityRef, open, onClose } = props;
  const api = useApi(projectCatalogApiRef);
  const [summary, setSummary] = useState('');
  const [severity, setSeverity] = useState<PageSeverity>('critical');
  const [details, setDetails] = useState('');
  const [touched, setTouched] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<PageOnCallResult>();

  const problem = summaryProblem(summary);
  const detailsProblem =
    details.length > PAGE_LIMITS.detailsLength
      ? `At most ${PAGE_LIMITS.detailsLength} characters.`
      : undefined;

  const close = () => {
    if (sending) return;
    setSummary('');
    setDetails('');
    setSeverity('critical');
    setTouched(false);
    setError(undefined);
    setResult(undefined);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem || detailsProblem || sending) return;
    setSending(true);
    setError(undefined);
    try {
      setResult(
        await api.pageOnCall(entityRef, {
          summary: summary.trim(),
          severity,
          ...(details.trim() ? { details: details.trim() } : {}),
        }),
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setSending(false);
    }
  };

  const link = result?.url ? safeLink(result.url) : undefined;
  return (
    <Dialog
      open={open}
      onClose={close}
      aria-labelledby="page-on-call-title"
      fullWidth
    >
      <DialogTitle id="page-on-call-title">Page on-call</DialogTitle>
      {result ? (
        <>
          <DialogContent>
            <Alert severity="success">
              PagerDuty accepted the page ({result.message}). Incident key{' '}
              <code>{result.dedupKey}</code>
              {link && (
                <>
                  {' '}
                  · <Link to={link}>Open in PagerDuty</Link>
                </>
              )}
            </Alert>
          </DialogContent>
          <DialogActions>
            <Button onClick={close} color="primary">
              Close
            </Button>
          </DialogActions>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <DialogContent>
            <DialogContentText>
              This opens a PagerDuty incident for {entityRef}: whoever is on
              call for its PagerDuty service is notified now, and its escalation
              policy goes on from there.
            </DialogContentText>
            <TextField
              label="Summary"
              required
              fullWidth
              margin="dense"
              value={summary}
              onChange={e => setSummary(e.target.value)}
              onBlur={() => setTouched(true)}
              error={touched && Boolean(problem)}
              helperText={
                (touched && problem) ||
                `The incident title, ${summary.length}/${PAGE_LIMITS.summaryLength}`
              }
              inputProps={{ 'aria-label': 'Summary' }}
            />
            <TextField
              select
              label="Severity"
              margin="dense"
              value={severity}
              onChange={e => setSeverity(e.target.value as PageSeverity)}
              SelectProps={{ native: true }}
              inputProps={{ 'aria-label': 'Severity' }}
            >
              {PAGE_SEVERITIES.map(s => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </TextField>
            <TextField
              label="Details"
              fullWidth
              multiline
              minRows={3}
              margin="dense"
              value={details}
              onChange={e => setDetails(e.target.value)}
              error={Boolean(detailsProblem)}
              helperText={
                detailsProblem ??
                'What you see, since when, what you tried (optional)'
              }
              inputProps={{ 'aria-label': 'Details' }}
            />
            {error && (
              <Alert severity="error" role="alert">
                Nobody was paged: {error}
              </Alert>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={close} disabled={sending}>
              Cancel
            </Button>
            <Button
              type="submit"
              color="secondary"
              variant="contained"
              disabled={sending}
              startIcon={sending ? <CircularProgress size={16} /> : undefined}
            >
              {sending ? 'Paging…' : 'Page now'}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
