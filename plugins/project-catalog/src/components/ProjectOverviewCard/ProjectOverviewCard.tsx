import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  projectCatalogMetadataUpdatePermission,
  projectField,
  readField,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Button,
  IconButton,
  Tooltip,
  Typography,
} from '@material-ui/core';
import EditIcon from '@material-ui/icons/Edit';
import { Alert } from '@material-ui/lab';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { useProject } from '../../hooks/useProject';
import { fieldState } from '../../lib/projectForm';
import { messageOf } from '../../lib/writeError';
import { ProjectEditDialog } from '../ProjectEditDialog';
import { ExportYamlButton } from './ExportYamlButton';
import { ProjectFacts } from './ProjectFacts';

const SHOWN = [
  'type',
  'lifecycle',
  'tier',
  'owner',
  'system',
  'tags',
  'description',
  'annotation:github.com/project-slug',
];

/**
 * The overview of a project on its entity page, with editing (for those allowed) and export as
 * YAML. The values are the backend's, which include a save the catalog has not caught up with.
 */
export const ProjectOverviewCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { view, loading, error, reload, setView } = useProject(entityRef);
  const permission = usePermission({
    permission: projectCatalogMetadataUpdatePermission,
    resourceRef: entityRef,
  });
  const [editing, setEditing] = useState(false);
  const [exportError, setExportError] = useState<string>();

  const valueOf = (key: string) => {
    if (view) return fieldState(view, key)?.value;
    const field = projectField(key);
    return field ? readField(entity, field) : undefined;
  };
  const empty = SHOWN.every(key => {
    const v = valueOf(key);
    return v === undefined || v === '' || (Array.isArray(v) && !v.length);
  });
  const shadowed = view?.fields.filter(f => f.overlay?.shadowed) ?? [];
  const canEdit = Boolean(view) && permission.allowed;

  const edit = (
    <Tooltip
      title={
        permission.allowed || permission.loading
          ? 'Edit project'
          : 'You are not allowed to edit this project'
      }
    >
      <span>
        <IconButton
          aria-label="Edit project"
          size="small"
          disabled={!canEdit}
          onClick={() => setEditing(true)}
        >
          <EditIcon />
        </IconButton>
      </span>
    </Tooltip>
  );

  return (
    <InfoCard
      title="Project"
      action={
        <Box display="flex" mt={1} mr={1}>
          {edit}
          <ExportYamlButton entityRef={entityRef} onError={setExportError} />
        </Box>
      }
    >
      {loading && <Progress />}
      {error && (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={reload}>
              Retry
            </Button>
          }
        >
          Could not load the project's metadata: {messageOf(error)}. Showing the
          catalog's values; editing is unavailable.
        </Alert>
      )}
      {exportError && (
        <Alert severity="error" onClose={() => setExportError(undefined)}>
          {exportError}
        </Alert>
      )}
      {!loading && empty && (
        <Typography variant="body2" color="textSecondary" paragraph>
          No project metadata yet.
          {canEdit ? ' Add the type, owner and more with Edit.' : ''}
        </Typography>
      )}
      {!loading && !empty && <ProjectFacts valueOf={valueOf} />}
      {shadowed.length > 0 && (
        <Box mt={2}>
          <Alert severity="info">
            The YAML now defines {shadowed.map(f => f.key).join(', ')}, so the
            values set here are not shown.
          </Alert>
        </Box>
      )}
      {view?.updatedBy && view.updatedAt && (
        <Box mt={2}>
          <Typography variant="caption" color="textSecondary">
            Last edited here by {view.updatedBy}{' '}
            <time dateTime={view.updatedAt} title={view.updatedAt}>
              {DateTime.fromISO(view.updatedAt).toRelative()}
            </time>
          </Typography>
        </Box>
      )}
      {editing && view && (
        <ProjectEditDialog
          entityRef={entityRef}
          view={view}
          onClose={() => setEditing(false)}
          onViewChange={setView}
        />
      )}
    </InfoCard>
  );
};
