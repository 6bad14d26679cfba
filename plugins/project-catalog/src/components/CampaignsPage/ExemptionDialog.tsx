import { useApi } from '@backstage/core-plugin-api';
import {
  CAMPAIGN_LIMITS,
  CampaignEntityStatus,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { projectCatalogApiRef } from '../../api';
import { messageOf } from '../../lib/writeError';

export interface ExemptionDialogProps {
  campaignId: string;
  entityRef: string;
  onClose(): void;
  onSaved(status: CampaignEntityStatus): void;
}

/** Exempts an entity from a campaign, with the reason (campaign managers). */
export const ExemptionDialog = ({
  campaignId,
  entityRef,
  onClose,
  onSaved,
}: ExemptionDialogProps) => {
  const api = useApi(projectCatalogApiRef);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const text = reason.trim();
    if (!text) {
      setProblem('is required: say why this entity is exempt');
      return;
    }
    if (text.length > CAMPAIGN_LIMITS.reasonLength) {
      setProblem(`must be at most ${CAMPAIGN_LIMITS.reasonLength} characters`);
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      onSaved(
        await api.setCampaignExemption(campaignId, entityRef, { reason: text }),
      );
      onClose();
    } catch (e) {
      setFailure(messageOf(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="campaign-exemption-title"
    >
      <DialogTitle id="campaign-exemption-title">
        Exempt {entityRef}
      </DialogTitle>
      <DialogContent>
        {failure && (
          <Alert severity="error" role="alert">
            {failure}
          </Alert>
        )}
        <TextField
          fullWidth
          multiline
          minRows={2}
          margin="normal"
          variant="outlined"
          id="campaign-exemption-reason"
          label="Reason"
          required
          value={reason}
          onChange={e => {
            setReason(e.target.value);
            setProblem(undefined);
          }}
          error={Boolean(problem)}
          helperText={
            problem ??
            'Shown to the owners; an exempt entity counts as finished'
          }
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={save}
          disabled={busy}
        >
          Exempt
        </Button>
      </DialogActions>
    </Dialog>
  );
};
