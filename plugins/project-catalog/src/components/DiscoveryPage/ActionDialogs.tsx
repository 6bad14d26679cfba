import {
  DISCOVERY_LIMITS,
  DiscoveryAction,
  DiscoverySuggestion,
  PROJECT_LIFECYCLES,
  PROJECT_TYPES,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
  MenuItem,
  TextField,
  TextFieldProps,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { ReactNode, useState } from 'react';
import { messageOf } from '../../lib/writeError';
import {
  AdoptProblems,
  AdoptValues,
  adoptEdits,
  adoptProblems,
  adoptValuesOf,
  mergeTargetProblem,
  missingForAdoption,
  reasonProblem,
} from './discoveryForms';
import { GROUP_HINT, GroupPicker } from '../GroupPicker';

/** Sends the actions; throws when the request as a whole failed (nothing was done). */
export type SubmitActions = (actions: DiscoveryAction[]) => Promise<void>;

/**
 * A dialog that sends actions: busy while they go, the error of a refused request shown in it
 * (it stays open, so the reviewer can change the input or cancel).
 */
function useSubmit(onSubmit: SubmitActions) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const submit = async (actions: DiscoveryAction[]) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await onSubmit(actions);
    } catch (e) {
      setFailure(messageOf(e));
      setBusy(false);
    }
  };
  return { busy, failure, submit };
}

const ActionDialog = ({
  id,
  title,
  children,
  failure,
  busy,
  confirm,
  onConfirm,
  onClose,
}: {
  id: string;
  title: string;
  children: ReactNode;
  failure?: string;
  busy: boolean;
  confirm: string;
  onConfirm(): void;
  onClose(): void;
}) => (
  <Dialog
    open
    onClose={busy ? undefined : onClose}
    maxWidth="md"
    fullWidth
    aria-labelledby={`${id}-dialog-title`}
  >
    <DialogTitle id={`${id}-dialog-title`}>{title}</DialogTitle>
    <DialogContent>
      {failure && (
        <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
          {failure}
        </Alert>
      )}
      {children}
    </DialogContent>
    <DialogActions>
      <Button onClick={onClose} disabled={busy}>
        Cancel
      </Button>
      <Button
        color="primary"
        variant="contained"
        onClick={onConfirm}
        disabled={busy}
      >
        {confirm}
      </Button>
    </DialogActions>
  </Dialog>
);

const names = (suggestions: DiscoverySuggestion[]) =>
  suggestions.map(s => s.name).join(', ');

/** Adopts one suggestion, its inferred fields editable first. */
export const AdoptDialog = ({
  suggestion,
  onSubmit,
  onClose,
}: {
  suggestion: DiscoverySuggestion;
  onSubmit: SubmitActions;
  onClose(): void;
}) => {
  const [values, setValues] = useState<AdoptValues>(() =>
    adoptValuesOf(suggestion),
  );
  const [problems, setProblems] = useState<AdoptProblems>({});
  const { busy, failure, submit } = useSubmit(onSubmit);

  const set = (key: keyof AdoptValues, value: string) => {
    setValues(v => ({ ...v, [key]: value }));
    setProblems(({ [key]: _, ...rest }) => rest);
  };

  const input = (
    key: Exclude<keyof AdoptValues, 'owner'>,
    label: string,
    props: Partial<TextFieldProps> = {},
  ) => (
    <TextField
      variant="outlined"
      size="small"
      fullWidth
      {...props}
      id={`adopt-${key}`}
      label={label}
      value={values[key]}
      onChange={e => set(key, e.target.value)}
      error={Boolean(problems[key])}
      helperText={problems[key] ?? props.helperText}
    />
  );

  const adopt = () => {
    const found = adoptProblems(values);
    setProblems(found);
    if (Object.keys(found).length) return;
    submit([{ id: suggestion.id, action: 'adopt', edits: adoptEdits(values) }]);
  };

  const { evidence } = suggestion;
  return (
    <ActionDialog
      id="adopt"
      title={`Adopt ${suggestion.name}`}
      failure={failure}
      busy={busy}
      confirm="Adopt"
      onConfirm={adopt}
      onClose={onClose}
    >
      <DialogContentText>
        Creates the project in the catalog (no YAML) with these values and the
        suggestion's links and annotations.
      </DialogContentText>
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6}>
          {input('name', 'Name', {
            required: true,
            helperText: 'The entity name, e.g. returns-service',
          })}
        </Grid>
        <Grid item xs={12} sm={6}>
          {input('title', 'Title')}
        </Grid>
        <Grid item xs={12} sm={4}>
          {input('type', 'Type', {
            required: true,
            select: true,
            helperText: evidence.type && `Inferred from ${evidence.type}`,
            children: PROJECT_TYPES.map(t => (
              <MenuItem key={t} value={t}>
                {t}
              </MenuItem>
            )),
          })}
        </Grid>
        <Grid item xs={12} sm={4}>
          {input('lifecycle', 'Lifecycle', {
            required: true,
            helperText: `e.g. ${PROJECT_LIFECYCLES.join(', ')}`,
          })}
        </Grid>
        <Grid item xs={12} sm={4}>
          {input('tier', 'Tier', { helperText: 'e.g. 1, 2 or critical' })}
        </Grid>
        <Grid item xs={12} sm={6}>
          <GroupPicker
            id="adopt-owner"
            label="Owner"
            value={values.owner}
            problem={problems.owner}
            helperText={
              evidence.owner ? `Inferred from ${evidence.owner}` : GROUP_HINT
            }
            onChange={v => set('owner', v)}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          {input('system', 'System', { helperText: 'e.g. payments' })}
        </Grid>
        <Grid item xs={12}>
          {input('tags', 'Tags', {
            helperText: 'Comma-separated, e.g. python, ml',
          })}
        </Grid>
        <Grid item xs={12}>
          {input('description', 'Description', {
            multiline: true,
            minRows: 2,
          })}
        </Grid>
      </Grid>
    </ActionDialog>
  );
};

/** Adopts several suggestions as discovery inferred them. */
export const BulkAdoptDialog = ({
  suggestions,
  onSubmit,
  onClose,
}: {
  suggestions: DiscoverySuggestion[];
  onSubmit: SubmitActions;
  onClose(): void;
}) => {
  const { busy, failure, submit } = useSubmit(onSubmit);
  const incomplete = suggestions.flatMap(s => {
    const missing = missingForAdoption(s);
    return missing ? [`${s.name}: ${missing}`] : [];
  });
  return (
    <ActionDialog
      id="bulk-adopt"
      title={`Adopt ${suggestions.length} suggestions`}
      failure={failure}
      busy={busy}
      confirm="Adopt all"
      onConfirm={() =>
        submit(suggestions.map(s => ({ id: s.id, action: 'adopt' })))
      }
      onClose={onClose}
    >
      <DialogContentText>
        Creates {names(suggestions)} as discovery inferred them (lifecycle
        experimental). To change the values first, adopt one at a time.
      </DialogContentText>
      {incomplete.length > 0 && (
        <Alert severity="warning">
          These will fail; adopt them one at a time to fill in what is missing:
          <ul>
            {incomplete.map(line => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </Alert>
      )}
    </ActionDialog>
  );
};

/** Ignores suggestions, with a reason for the next reviewer; they are never offered again. */
export const IgnoreDialog = ({
  suggestions,
  onSubmit,
  onClose,
}: {
  suggestions: DiscoverySuggestion[];
  onSubmit: SubmitActions;
  onClose(): void;
}) => {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const { busy, failure, submit } = useSubmit(onSubmit);
  const ignore = () => {
    const found = reasonProblem(reason);
    setProblem(found);
    if (found) return;
    submit(
      suggestions.map(s => ({
        id: s.id,
        action: 'ignore',
        reason: reason.trim(),
      })),
    );
  };
  return (
    <ActionDialog
      id="ignore"
      title={
        suggestions.length === 1
          ? `Ignore ${suggestions[0].name}`
          : `Ignore ${suggestions.length} suggestions`
      }
      failure={failure}
      busy={busy}
      confirm="Ignore"
      onConfirm={ignore}
      onClose={onClose}
    >
      <DialogContentText>
        {names(suggestions)} will not be suggested again.
      </DialogContentText>
      <TextField
        id="ignore-reason"
        label="Reason"
        required
        multiline
        minRows={2}
        fullWidth
        variant="outlined"
        value={reason}
        onChange={e => {
          setReason(e.target.value);
          setProblem(undefined);
        }}
        error={Boolean(problem)}
        helperText={
          problem ??
          `Why, for the next reviewer (${reason.trim().length}/${
            DISCOVERY_LIMITS.reasonLength
          })`
        }
      />
    </ActionDialog>
  );
};

/** Merges one suggestion into an entity: its annotations are added to the entity. */
export const MergeDialog = ({
  suggestion,
  onSubmit,
  onClose,
}: {
  suggestion: DiscoverySuggestion;
  onSubmit: SubmitActions;
  onClose(): void;
}) => {
  const [target, setTarget] = useState(suggestion.evidence.possibleMatch ?? '');
  const [problem, setProblem] = useState<string>();
  const { busy, failure, submit } = useSubmit(onSubmit);
  const merge = () => {
    const found = mergeTargetProblem(target);
    setProblem(found);
    if (found) return;
    submit([{ id: suggestion.id, action: 'merge', entityRef: target.trim() }]);
  };
  const annotations = Object.entries(suggestion.annotations);
  return (
    <ActionDialog
      id="merge"
      title={`Merge ${suggestion.name} into an entity`}
      failure={failure}
      busy={busy}
      confirm="Merge"
      onConfirm={merge}
      onClose={onClose}
    >
      <DialogContentText>
        The entity gets the suggestion's annotations
        {annotations.length > 0 &&
          ` (${annotations.map(([k, v]) => `${k}: ${v}`).join(', ')})`}
        , and the suggestion is closed as merged.
      </DialogContentText>
      <TextField
        id="merge-entity"
        label="Entity"
        required
        fullWidth
        variant="outlined"
        value={target}
        onChange={e => {
          setTarget(e.target.value);
          setProblem(undefined);
        }}
        error={Boolean(problem)}
        helperText={
          problem ??
          (suggestion.evidence.possibleMatch
            ? 'Discovery found this entity with the same name'
            : 'e.g. component:default/payments-api')
        }
      />
    </ActionDialog>
  );
};
