import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApiHolder } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { dashApiRef } from '@dash-suite/plugin-dash';
import { projectCatalogMetadataUpdatePermission } from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Button,
  IconButton,
  Link,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Tooltip,
  Typography,
} from '@material-ui/core';
import EditIcon from '@material-ui/icons/Edit';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useProject } from '../../hooks/useProject';
import { messageOf } from '../../lib/writeError';
import { QuickLinksDialog, uiLinksOf } from './QuickLinksDialog';
import { quickLinkGroups } from './quickLinkGroups';

/**
 * Deep links of a project, grouped: the ones DASH generates from the annotations (the same as
 * DASH's "Open in…"), the entity's own links, and the links added in the UI, which owners edit.
 */
export const QuickLinksCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  // DASH is optional: without its plugin the card shows the catalog's and the UI's links.
  const dashApi = useApiHolder().get(dashApiRef);
  const generated = useAsync(
    async () => (dashApi ? (await dashApi.getLinks({ entityRef })).links : []),
    [dashApi, entityRef],
  );
  const project = useProject(entityRef);
  const permission = usePermission({
    permission: projectCatalogMetadataUpdatePermission,
    resourceRef: entityRef,
  });
  const [editing, setEditing] = useState(false);

  const loading = generated.loading || project.loading;
  const groups = quickLinkGroups({
    generated: generated.value ?? [],
    entity,
    uiLinks: uiLinksOf(project.view),
  });
  const canEdit = Boolean(project.view) && permission.allowed;

  return (
    <InfoCard
      title="Quick links"
      action={
        <Box mt={1} mr={1}>
          <Tooltip
            title={
              permission.allowed || permission.loading
                ? 'Edit links'
                : 'You are not allowed to edit the links'
            }
          >
            <span>
              <IconButton
                size="small"
                aria-label="Edit links"
                disabled={!canEdit}
                onClick={() => setEditing(true)}
              >
                <EditIcon />
              </IconButton>
            </span>
          </Tooltip>
        </Box>
      }
    >
      {loading && <Progress />}
      {generated.error && (
        <Alert severity="warning">
          Links generated from the annotations are unavailable:{' '}
          {messageOf(generated.error)}
        </Alert>
      )}
      {project.error && (
        <Alert
          severity="warning"
          action={
            <Button color="inherit" size="small" onClick={project.reload}>
              Retry
            </Button>
          }
        >
          Links added here are unavailable: {messageOf(project.error)}
        </Alert>
      )}
      {!loading && groups.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No links yet. Links appear here from the PagerDuty, Grafana, Kibana
          and GitHub annotations{canEdit ? ', or add your own with Edit' : ''}.
        </Typography>
      )}
      {!loading &&
        groups.map(group => (
          <Box
            key={group.title}
            mb={1}
            component="section"
            aria-label={group.title}
          >
            <Typography variant="subtitle2">{group.title}</Typography>
            <List dense disablePadding>
              {group.links.map(link => (
                <ListItem key={`${link.title}:${link.url}`} disableGutters>
                  <ListItemIcon style={{ minWidth: 32 }}>
                    <OpenInNewIcon fontSize="small" />
                  </ListItemIcon>
                  <ListItemText
                    primary={
                      <Link
                        href={link.url}
                        target="_blank"
                        rel="noopener noreferrer"
                      >
                        {link.title}
                      </Link>
                    }
                  />
                </ListItem>
              ))}
            </List>
          </Box>
        ))}
      {editing && project.view && (
        <QuickLinksDialog
          entityRef={entityRef}
          view={project.view}
          onClose={() => setEditing(false)}
          onViewChange={project.setView}
        />
      )}
    </InfoCard>
  );
};
