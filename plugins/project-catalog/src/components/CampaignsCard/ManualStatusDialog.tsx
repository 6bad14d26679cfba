import { useApi } from '@backstage/core-plugin-api';
import {
  CAMPAIGN_LIMITS,
  CAMPAIGN_MANUAL_STATUSES,
  Campaign,
  CampaignEntityStatus,
  CampaignManualStatus,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { projectCatalogApiRef } from '../../api';
import { messageOf } from '../../lib/writeError';
import { STATUS_LABELS } from '../CampaignShared';

/**
 * The statuses owners may set: any manual status on a campaign decided by hand (`manual` check),
 * otherwise `in-progress` only: the check decides done (the backend refuses anything else).
 */
export function manualStatusesFor(campaign: Campaign): CampaignManualStatus[] {
  return campaign.check.type === 'manual'
    ? [...CAMPAIGN_MANUAL_STATUSES]
    : ['in-progress'];
}

export interface ManualStatusDialogProps {
  campaign: Campaign;
  entityRef: string;
  status: CampaignEntityStatus;
  onClose(): void;
  /** The entity's status as the write answered it. */
  onSaved(status: CampaignEntityStatus): void;
}

/** The owners' status and note for one entity in one campaign; set, change or clear it. */
export const ManualStatusDialog = ({
  campaign,
  entityRef,
  status,
  onClose,
  onSaved,
}: ManualStatusDialogProps) => {
  const api = useApi(projectCatalogApiRef);
  const allowed = manualStatusesFor(campaign);
  const [value, setValue] = useState<CampaignManualStatus>(
    status.manual && allowed.includes(status.manual.status)
      ? status.manual.status
      : allowed[0],
  );
  const [note, setNote] = useState(status.manual?.note ?? '');
  const [problem, setProblem] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (write: () => Promise<CampaignEntityStatus>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      onSaved(await write());
      onClose();
    } catch (e) {
      setFailure(messageOf(e));
      setBusy(false);
    }
  };

  const save = () => {
    const text = note.trim();
    if (!text) {
      setProblem('is required: say what is happening');
      return;
    }
    if (text.length > CAMPAIGN_LIMITS.noteLength) {
      setProblem(`must be at most ${CAMPAIGN_LIMITS.noteLength} characters`);
      return;
    }
    run(() =>
      api.setCampaignManualStatus(campaign.id, entityRef, {
        status: value,
        note: text,
      }),
    );
  };

  const clear = () =>
    run(() => api.clearCampaignManualStatus(campaign.id, entityRef));

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="campaign-manual-status-title"
    >
      <DialogTitle id="campaign-manual-status-title">
        Set status: {campaign.title}
      </DialogTitle>
      <DialogContent>
        {failure && (
          <Alert severity="error" role="alert">
            {failure}
          </Alert>
        )}
        <TextField
          select
          fullWidth
          margin="normal"
          variant="outlined"
          size="small"
          id="campaign-manual-status"
          label="Status"
          value={value}
          onChange={e => setValue(e.target.value as CampaignManualStatus)}
          helperText={
            allowed.length === 1
              ? `The campaign's ${campaign.check.type} check decides when this is done; you can say that work is in progress.`
              : undefined
          }
        >
          {allowed.map(s => (
            <MenuItem key={s} value={s}>
              {STATUS_LABELS[s]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          fullWidth
          multiline
          minRows={3}
          margin="normal"
          variant="outlined"
          id="campaign-manual-note"
          label="Note"
          required
          value={note}
          onChange={e => {
            setNote(e.target.value);
            setProblem(undefined);
          }}
          error={Boolean(problem)}
          helperText={
            problem ??
            `What is being done, and by when (${note.length}/${CAMPAIGN_LIMITS.noteLength})`
          }
        />
        {status.manual && (
          <Typography variant="body2" color="textSecondary">
            Set by {status.manual.by}. Clearing it leaves the status to the
            campaign's check.
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        {status.manual && (
          <Button onClick={clear} disabled={busy}>
            Clear status
          </Button>
        )}
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={save}
          disabled={busy}
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
};
