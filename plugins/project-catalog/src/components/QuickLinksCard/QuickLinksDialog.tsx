import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ProjectView,
  QuickLink,
} from '@dash-suite/plugin-project-catalog-common';
import { useState } from 'react';
import { projectCatalogApiRef } from '../../api';
import { ProjectChange, conflictRows } from '../../lib/projectForm';
import { WriteFailure, describeWriteError } from '../../lib/writeError';
import { ConflictPanel } from '../ConflictPanel';
import {
  LinkDraft,
  LinkProblems,
  QuickLinksEditor,
  fromDraft,
  linkProblems,
  toDraft,
} from '../QuickLinksEditor';

export interface QuickLinksDialogProps {
  entityRef: string;
  view: ProjectView;
  onClose(): void;
  onViewChange(view: ProjectView): void;
}

/** The links added in the UI, as the project stores them. */
export function uiLinksOf(view: ProjectView | undefined): QuickLink[] {
  const state = view?.fields.find(f => f.key === 'links');
  const value = state?.overlay?.value;
  return Array.isArray(value) ? (value as QuickLink[]) : [];
}

/** Edits the links added in the UI; the generated and YAML links are not touched. */
export const QuickLinksDialog = ({
  entityRef,
  view,
  onClose,
  onViewChange,
}: QuickLinksDialogProps) => {
  const api = useApi(projectCatalogApiRef);
  const [base, setBase] = useState(view);
  const [drafts, setDrafts] = useState<LinkDraft[]>(() =>
    uiLinksOf(view).map(toDraft),
  );
  const [problems, setProblems] = useState<Record<number, LinkProblems>>({});
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<WriteFailure>();
  const [pending, setPending] = useState<ProjectChange>();

  const send = async (change: ProjectChange, on: ProjectView) => {
    setSaving(true);
    setFailure(undefined);
    try {
      onViewChange(
        await api.updateProject(entityRef, { version: on.version, ...change }),
      );
      onClose();
    } catch (e) {
      setPending(change);
      setFailure(
        await describeWriteError(e, { api, entityRef, version: on.version }),
      );
    } finally {
      setSaving(false);
    }
  };

  const submit = () => {
    const found = linkProblems(drafts);
    setProblems(found);
    if (Object.keys(found).length) return;
    const links = drafts.map(fromDraft);
    const before = uiLinksOf(base);
    if (JSON.stringify(links) === JSON.stringify(before)) {
      onClose();
      return;
    }
    send(
      links.length
        ? { set: { links }, unset: [] }
        : { set: {}, unset: ['links'] },
      base,
    );
  };

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="quick-links-title"
    >
      <DialogTitle id="quick-links-title">Edit quick links</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="textSecondary" paragraph>
          Links generated from the annotations and the ones in the entity's YAML
          are not edited here. Links must be http:// or https://.
        </Typography>
        {failure?.kind === 'message' && (
          <Alert severity="error" role="alert">
            {failure.message}
          </Alert>
        )}
        {failure?.kind === 'version' && pending && (
          <ConflictPanel
            current={failure.current}
            rows={conflictRows(base, failure.current, pending).filter(
              r => r.key === 'links',
            )}
            busy={saving}
            onReapply={() => {
              setBase(failure.current);
              send(pending, failure.current);
            }}
            onDiscard={() => {
              setBase(failure.current);
              setDrafts(uiLinksOf(failure.current).map(toDraft));
              setFailure(undefined);
              onViewChange(failure.current);
            }}
          />
        )}
        <QuickLinksEditor
          links={drafts}
          problems={problems}
          onChange={next => {
            setDrafts(next);
            setProblems({});
          }}
        />
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
