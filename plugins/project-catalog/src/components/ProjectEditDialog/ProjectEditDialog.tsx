import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  FieldDefinition,
  ProjectView,
} from '@dash-suite/plugin-project-catalog-common';
import { useState } from 'react';
import { projectCatalogApiRef } from '../../api';
import {
  FORM_FIELDS,
  FormValues,
  ProjectChange,
  REQUIRED_FIELDS,
  changeOf,
  conflictRows,
  fieldState,
  formProblems,
  formValues,
  isEmptyChange,
  isReadOnly,
} from '../../lib/projectForm';
import { WriteFailure, describeWriteError } from '../../lib/writeError';
import { ConflictPanel } from '../ConflictPanel';
import { FieldInput } from './FieldInput';

export interface ProjectEditDialogProps {
  entityRef: string;
  view: ProjectView;
  onClose(): void;
  /** A newer view: the one a save answered with, or the one a conflict brought. */
  onViewChange(view: ProjectView): void;
}

const WIDE = new Set(['description', 'tags']);

/** Edits a project's metadata: YAML-owned fields read-only, conflicts resolved in place. */
export const ProjectEditDialog = ({
  entityRef,
  view,
  onClose,
  onViewChange,
}: ProjectEditDialogProps) => {
  const api = useApi(projectCatalogApiRef);
  const [base, setBase] = useState(view);
  const [values, setValues] = useState<FormValues>(() => formValues(view));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<WriteFailure>();
  const [pending, setPending] = useState<ProjectChange>();

  const send = async (change: ProjectChange, on: ProjectView) => {
    setSaving(true);
    setFailure(undefined);
    try {
      const saved = await api.updateProject(entityRef, {
        version: on.version,
        ...change,
      });
      onViewChange(saved);
      onClose();
    } catch (e) {
      const f = await describeWriteError(e, {
        api,
        entityRef,
        version: on.version,
      });
      setPending(change);
      setFailure(f);
    } finally {
      setSaving(false);
    }
  };

  const submit = () => {
    const found = formProblems(base, values);
    setProblems(found);
    if (Object.keys(found).length) return;
    const change = changeOf(base, values);
    if (isEmptyChange(change)) {
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
    setValues(formValues(current));
    setProblems({});
    setFailure(undefined);
    setPending(undefined);
    onViewChange(current);
  };

  const renderField = (field: FieldDefinition) => (
    <Grid item xs={12} sm={WIDE.has(field.key) ? 12 : 6} key={field.key}>
      <FieldInput
        field={field}
        state={fieldState(base, field.key)}
        value={values[field.key] ?? ''}
        problem={problems[field.key]}
        required={base.origin === 'ui' && REQUIRED_FIELDS.includes(field.key)}
        onChange={value => {
          setValues(v => ({ ...v, [field.key]: value }));
          setProblems(({ [field.key]: _, ...rest }) => rest);
        }}
      />
    </Grid>
  );
  // Editable fields first; the YAML-owned ones below, by the file that defines them.
  const editable = FORM_FIELDS.filter(f => !isReadOnly(base, f.key));
  const yamlFiles = new Map<string, FieldDefinition[]>();
  for (const field of FORM_FIELDS.filter(f => isReadOnly(base, f.key))) {
    const file = fieldState(base, field.key)?.definedIn ?? 'its YAML';
    yamlFiles.set(file, [...(yamlFiles.get(file) ?? []), field]);
  }

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="project-edit-title"
    >
      <DialogTitle id="project-edit-title">Edit project</DialogTitle>
      <DialogContent>
        {failure?.kind === 'message' && (
          <Alert severity="error" role="alert">
            {failure.message}
          </Alert>
        )}
        {failure?.kind === 'version' && pending && (
          <ConflictPanel
            current={failure.current}
            rows={conflictRows(base, failure.current, pending)}
            busy={saving}
            onReapply={reapply}
            onDiscard={keepTheirs}
          />
        )}
        <Grid container spacing={2}>
          {editable.map(renderField)}
        </Grid>
        {[...yamlFiles].map(([file, fields]) => (
          <Box
            mt={3}
            key={file}
            component="section"
            aria-label={`Defined in ${file}`}
          >
            <Typography variant="subtitle2">
              Read-only: defined in YAML
            </Typography>
            <Typography variant="body2" color="textSecondary" paragraph>
              Defined in {file}; change them there, or remove them from the YAML
              to edit them here.
            </Typography>
            <Grid container spacing={2}>
              {fields.map(renderField)}
            </Grid>
          </Box>
        ))}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={saving}
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
};
