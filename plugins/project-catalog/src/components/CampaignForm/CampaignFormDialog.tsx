import { useApi } from '@backstage/core-plugin-api';
import {
  CAMPAIGN_LIMITS,
  CAMPAIGN_SCOPE_KEYS,
  Campaign,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  MenuItem,
  TextField,
  TextFieldProps,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { projectCatalogApiRef } from '../../api';
import { messageOf, statusOf } from '../../lib/writeError';
import { ConflictPanel } from '../ConflictPanel';
import { GroupPicker } from '../GroupPicker';
import {
  CampaignChange,
  CampaignFormValues,
  FormField,
  FormProblems,
  SCOPE_LABELS,
  ScopeKey,
  campaignFormProblems,
  changeOf,
  conflictRows,
  createRequestOf,
  emptyValues,
  hasProblems,
  problemsFromMessage,
  schemaHint,
  scopeExample,
  valuesOf,
} from './campaignForm';
import {
  CampaignWriteFailure,
  describeCampaignWriteError,
} from './campaignWriteError';

export interface CampaignFormDialogProps {
  /** The campaign to edit; without it, the dialog creates one. */
  campaign?: Campaign;
  onClose(): void;
  /** The campaign as the backend answered the create or the change. */
  onSaved(campaign: Campaign): void;
  /** A newer version that a conflict brought, kept instead of the change ("Keep theirs"). */
  onCurrent?(campaign: Campaign): void;
}

type TextKey = Exclude<keyof CampaignFormValues, 'scope'>;

/**
 * Creates a campaign or changes one: every rule the backend applies is checked first and shown
 * on its field; the backend's own refusals are shown as it words them; a version conflict shows
 * the campaign as it is now and lets the change be applied on top.
 */
export const CampaignFormDialog = ({
  campaign,
  onClose,
  onSaved,
  onCurrent,
}: CampaignFormDialogProps) => {
  const api = useApi(projectCatalogApiRef);
  const editing = Boolean(campaign);
  const [base, setBase] = useState(campaign);
  const [values, setValues] = useState<CampaignFormValues>(() =>
    campaign ? valuesOf(campaign) : emptyValues(),
  );
  const [problems, setProblems] = useState<FormProblems>({});
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<CampaignWriteFailure>();
  const [pending, setPending] = useState<CampaignChange>();
  const checkTypes = useAsync(() => api.getCampaignCheckTypes(), [api]);
  const readOnly = base?.origin === 'config';

  const clearProblem = (field: FormField) =>
    setProblems(({ [field]: _, scope, ...rest }) =>
      field.startsWith('scope') ? rest : { ...rest, scope },
    );
  const set = (key: TextKey, value: string) => {
    setValues(v => ({ ...v, [key]: value }));
    clearProblem(key);
  };
  const setScope = (key: ScopeKey, value: string) => {
    setValues(v => ({ ...v, scope: { ...v.scope, [key]: value } }));
    clearProblem(`scope.${key}`);
  };

  const refused = (e: unknown) => {
    const message = messageOf(e);
    const status = statusOf(e);
    if (status === 400) setProblems(problemsFromMessage(message));
    setFailure({ kind: 'message', status, message });
  };

  const create = async (request: ReturnType<typeof createRequestOf>) => {
    try {
      const created = await api.createCampaign(request);
      onSaved(created);
      onClose();
    } catch (e) {
      if (statusOf(e) === 409) {
        // The id is taken.
        setProblems({ id: messageOf(e) });
        setFailure(undefined);
      } else {
        refused(e);
      }
      setSaving(false);
    }
  };

  const send = async (change: CampaignChange, on: Campaign) => {
    setSaving(true);
    setFailure(undefined);
    try {
      const saved = await api.updateCampaign(on.id, {
        version: on.version,
        ...change,
      });
      onSaved(saved);
      onClose();
    } catch (e) {
      setPending(change);
      const f = await describeCampaignWriteError(e, {
        api,
        id: on.id,
        version: on.version,
      });
      if (f.kind === 'message' && f.status === 400) {
        setProblems(problemsFromMessage(f.message));
      }
      setFailure(f);
      setSaving(false);
    }
  };

  const submit = () => {
    const found = campaignFormProblems(values);
    setProblems(found);
    setFailure(undefined);
    if (hasProblems(found)) return;
    if (!base) {
      setSaving(true);
      create(createRequestOf(values));
      return;
    }
    const change = changeOf(base, values);
    if (!change) {
      onClose();
      return;
    }
    send(change, base);
  };

  const reapply = () => {
    if (failure?.kind !== 'version' || !pending) return;
    setBase(failure.current);
    send(pending, failure.current);
  };

  const keepTheirs = () => {
    if (failure?.kind !== 'version') return;
    const { current } = failure;
    setBase(current);
    setValues(valuesOf(current));
    setProblems({});
    setFailure(undefined);
    setPending(undefined);
    onCurrent?.(current);
  };

  const input = (
    key: TextKey,
    label: string,
    props: Partial<TextFieldProps> = {},
  ) => (
    <TextField
      variant="outlined"
      size="small"
      fullWidth
      {...props}
      id={`campaign-form-${key}`}
      label={label}
      value={values[key]}
      onChange={e => set(key, e.target.value)}
      error={Boolean(problems[key])}
      helperText={problems[key] ?? props.helperText}
    />
  );

  const types = checkTypes.value ?? [];
  const selectedType = types.find(t => t.id === values.checkType);
  const typeOptions =
    values.checkType && !selectedType && base?.check.type === values.checkType
      ? [
          ...types,
          {
            id: values.checkType,
            title: values.checkType,
            description: '',
            configSchema: {},
          },
        ]
      : types;
  const hint = selectedType && schemaHint(selectedType.configSchema);

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="campaign-form-dialog-title"
    >
      <form
        noValidate
        aria-label={editing ? 'Edit campaign' : 'New campaign'}
        onSubmit={e => {
          e.preventDefault();
          submit();
        }}
      >
        <DialogTitle id="campaign-form-dialog-title">
          {editing ? 'Edit campaign' : 'New campaign'}
        </DialogTitle>
        <DialogContent>
          {readOnly && (
            <Box mb={2}>
              <Alert severity="info">
                This campaign is defined in app-config
                (projectCatalog.campaigns.definitions); change it there.
              </Alert>
            </Box>
          )}
          {failure?.kind === 'message' && (
            <Box mb={2}>
              <Alert severity="error" role="alert">
                {failure.message}
              </Alert>
            </Box>
          )}
          {failure?.kind === 'version' && pending && (
            <Box mb={2}>
              <ConflictPanel
                noun="campaign"
                current={failure.current}
                rows={conflictRows(failure.current, pending)}
                busy={saving}
                onReapply={reapply}
                onDiscard={keepTheirs}
              />
            </Box>
          )}
          <Grid container spacing={2}>
            <Grid item xs={12} sm={5}>
              {input('id', 'Id', {
                required: !editing,
                disabled: editing,
                helperText: editing
                  ? 'The id cannot change'
                  : `Lower-case letters, digits and dashes, at most ${CAMPAIGN_LIMITS.idLength}, e.g. node-22-ci`,
              })}
            </Grid>
            <Grid item xs={12} sm={7}>
              {input('title', 'Title', {
                required: true,
                helperText: 'e.g. CI runs on Node 22',
              })}
            </Grid>
            <Grid item xs={12}>
              {input('description', 'Description', {
                multiline: true,
                minRows: 2,
                helperText:
                  'What owners should do; shown on their entity pages',
              })}
            </Grid>
            <Grid item xs={12} sm={6}>
              <GroupPicker
                id="campaign-form-owner"
                label="Owner"
                value={values.owner}
                problem={problems.owner}
                helperText="The group that runs the campaign, e.g. team-sre"
                onChange={v => set('owner', v)}
              />
            </Grid>
            <Grid item xs={6} sm={3}>
              {input('startsAt', 'Starts', {
                required: true,
                helperText: 'e.g. 2027-01-01',
              })}
            </Grid>
            <Grid item xs={6} sm={3}>
              {input('deadline', 'Deadline', {
                required: true,
                helperText: 'e.g. 2027-03-31T17:00:00Z',
              })}
            </Grid>
            <Grid item xs={12}>
              <Box
                component="fieldset"
                border={0}
                p={0}
                m={0}
                aria-describedby="campaign-form-scope-help"
              >
                <Typography variant="subtitle2" component="legend">
                  Scope
                </Typography>
                <Typography
                  id="campaign-form-scope-help"
                  variant="body2"
                  color={problems.scope ? 'error' : 'textSecondary'}
                  gutterBottom
                >
                  {problems.scope ??
                    'Comma-separated values; an entity is in scope when it matches every key given (any value of a key).'}
                </Typography>
                <Grid container spacing={2}>
                  {CAMPAIGN_SCOPE_KEYS.map(key => (
                    <Grid item xs={12} sm={4} key={key}>
                      <TextField
                        variant="outlined"
                        size="small"
                        fullWidth
                        id={`campaign-form-scope-${key}`}
                        label={SCOPE_LABELS[key]}
                        value={values.scope[key]}
                        onChange={e => setScope(key, e.target.value)}
                        error={Boolean(problems[`scope.${key}`])}
                        helperText={
                          problems[`scope.${key}`] ??
                          `e.g. ${scopeExample(key)}`
                        }
                      />
                    </Grid>
                  ))}
                </Grid>
              </Box>
            </Grid>
            <Grid item xs={12} sm={5}>
              {checkTypes.error ? (
                input('checkType', 'Check type', {
                  required: true,
                  helperText:
                    'The check types could not be listed; type the id, e.g. entity-field',
                })
              ) : (
                <TextField
                  select
                  variant="outlined"
                  size="small"
                  fullWidth
                  required
                  id="campaign-form-checkType"
                  label="Check type"
                  value={typeOptions.length ? values.checkType : ''}
                  onChange={e => set('checkType', e.target.value)}
                  error={Boolean(problems.checkType)}
                  helperText={
                    problems.checkType ??
                    selectedType?.description ??
                    (checkTypes.loading
                      ? 'Loading the check types…'
                      : undefined)
                  }
                >
                  {typeOptions.map(t => (
                    <MenuItem key={t.id} value={t.id}>
                      {t.title}
                    </MenuItem>
                  ))}
                </TextField>
              )}
            </Grid>
            <Grid item xs={12} sm={7}>
              {input('checkConfig', 'Check settings (JSON)', {
                multiline: true,
                minRows: 3,
                inputProps: {
                  spellCheck: false,
                  style: { fontFamily: 'monospace' },
                },
                helperText:
                  hint ??
                  `A JSON object, at most ${CAMPAIGN_LIMITS.checkConfigBytes} characters`,
              })}
            </Grid>
          </Grid>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving || readOnly}
          >
            {editing ? 'Save' : 'Create campaign'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
