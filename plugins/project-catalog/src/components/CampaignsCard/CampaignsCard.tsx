import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, InfoCardVariants, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  CampaignEntityStatus,
  EntityCampaign,
  isCampaignFinished,
  projectCatalogCampaignManagePermission,
  projectCatalogMetadataUpdatePermission,
} from '@dash-suite/plugin-project-catalog-common';
import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { projectCatalogApiRef } from '../../api';
import { messageOf } from '../../lib/writeError';
import { campaignRouteRef } from '../../routes';
import {
  CardEmpty,
  CardError,
  CardLoading,
  formatFullTime,
  formatRelative,
} from '../cardStates';
import {
  Deadline,
  STATUS_LABELS,
  StatusChip,
  degradedText,
  formatDate,
  instructionsOf,
  isPast,
} from '../CampaignShared';
import { ManualStatusDialog } from './ManualStatusDialog';
import { useOptionalRouteRef } from '../../hooks/useOptionalRouteRef';

const useStyles = makeStyles(theme => ({
  item: {
    padding: theme.spacing(1.5, 0),
    '&:not(:last-child)': {
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
  },
  head: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  title: { fontWeight: 500 },
  notes: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
  },
}));

/** Unfinished work first, the nearest deadline first. */
function byUrgency(a: EntityCampaign, b: EntityCampaign): number {
  const fa = isCampaignFinished(a.status.status) ? 1 : 0;
  const fb = isCampaignFinished(b.status.status) ? 1 : 0;
  if (fa !== fb) return fa - fb;
  return Date.parse(a.campaign.deadline) - Date.parse(b.campaign.deadline);
}

function CampaignItem({
  item,
  now,
  canSetStatus,
  onSetStatus,
}: {
  item: EntityCampaign;
  now: number;
  canSetStatus: boolean;
  onSetStatus(): void;
}) {
  const classes = useStyles();
  const link = useOptionalRouteRef(campaignRouteRef);
  const { campaign, status } = item;
  const finished = isCampaignFinished(status.status);
  const instructions = instructionsOf(campaign);
  const notStarted = !isPast(campaign.startsAt, now);
  // Owners set a status on unfinished work; on a campaign decided by hand, any time. An exempt
  // entity has nothing to do.
  const settable =
    !status.exemption &&
    (!finished || campaign.check.type === 'manual' || Boolean(status.manual));
  const verb = status.manual ? 'Change status' : 'Set status';
  // The detail repeats the manual note or the exemption reason: those are shown on their own.
  const detail =
    status.detail &&
    status.detail !== status.manual?.note &&
    status.detail !== status.exemption?.reason
      ? status.detail
      : undefined;
  return (
    <section className={classes.item} aria-label={campaign.title}>
      <div className={classes.head}>
        <Typography
          variant="subtitle1"
          component="h3"
          className={classes.title}
        >
          {link ? (
            <Link to={link({ id: campaign.id })}>{campaign.title}</Link>
          ) : (
            campaign.title
          )}
        </Typography>
        <StatusChip status={status.status} />
      </div>
      <Typography variant="body2" color="textSecondary">
        {notStarted ? (
          <>
            Starts{' '}
            <time
              dateTime={campaign.startsAt}
              title={formatFullTime(campaign.startsAt)}
            >
              {formatDate(campaign.startsAt)}
            </time>
            {' · '}
          </>
        ) : null}
        Deadline:{' '}
        <Deadline deadline={campaign.deadline} finished={finished} now={now} />
      </Typography>
      <div className={classes.notes}>
        {!finished && campaign.description && (
          <Typography variant="body2">{campaign.description}</Typography>
        )}
        {!finished && instructions && (
          <Typography variant="body2">{instructions}</Typography>
        )}
        {detail && (
          <Typography variant="body2" color="textSecondary">
            {detail}
          </Typography>
        )}
        {status.exemption && (
          <Typography variant="body2">
            Exempt: {status.exemption.reason} (by {status.exemption.by})
          </Typography>
        )}
        {status.manual && (
          <Typography variant="body2">
            Owners' note ({STATUS_LABELS[status.manual.status]}, by{' '}
            {status.manual.by},{' '}
            <time
              dateTime={status.manual.at}
              title={formatFullTime(status.manual.at)}
            >
              {formatRelative(status.manual.at, now)}
            </time>
            ): {status.manual.note}
          </Typography>
        )}
        {status.degraded && (
          <Alert severity="warning">
            The last check could not answer (
            {degradedText(status.degraded.reason)} since{' '}
            {formatRelative(status.degraded.since, now)}):{' '}
            {status.degraded.message}. The status shown is from before.
          </Alert>
        )}
      </div>
      {canSetStatus && settable && (
        <Box mt={1}>
          <Button
            size="small"
            variant="outlined"
            onClick={onSetStatus}
            aria-label={`${verb} for ${campaign.title}`}
          >
            {verb}
          </Button>
        </Box>
      )}
    </section>
  );
}

function CampaignsCardContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(projectCatalogApiRef);
  const state = useAsyncRetry(
    () => api.getEntityCampaigns(entityRef),
    [api, entityRef],
  );
  // The entity's statuses as writes answered them, until the next load.
  const [written, setWritten] = useState<Record<string, CampaignEntityStatus>>(
    {},
  );
  const [editing, setEditing] = useState<string>();
  // Owners (who may edit the entity's metadata) and campaign managers set a manual status.
  const owner = usePermission({
    permission: projectCatalogMetadataUpdatePermission,
    resourceRef: entityRef,
  });
  const manager = usePermission({
    permission: projectCatalogCampaignManagePermission,
  });
  const canSetStatus = owner.allowed || manager.allowed;

  if (state.loading && !state.value) return <CardLoading what="campaigns" />;
  if (state.error) {
    return (
      <CardError
        title="Could not load the campaigns"
        error={messageOf(state.error)}
        onRetry={() => {
          setWritten({});
          state.retry();
        }}
      />
    );
  }
  const items = (state.value ?? [])
    .map(item => ({
      ...item,
      status: written[item.campaign.id] ?? item.status,
    }))
    .sort(byUrgency);
  if (!items.length) {
    return (
      <CardEmpty hint="Migration campaigns list this project here when their scope covers it.">
        This project is in no campaign.
      </CardEmpty>
    );
  }
  const now = Date.now();
  const current = items.find(i => i.campaign.id === editing);
  return (
    <>
      {items.map(item => (
        <CampaignItem
          key={item.campaign.id}
          item={item}
          now={now}
          canSetStatus={canSetStatus}
          onSetStatus={() => setEditing(item.campaign.id)}
        />
      ))}
      {current && (
        <ManualStatusDialog
          campaign={current.campaign}
          entityRef={entityRef}
          status={current.status}
          onClose={() => setEditing(undefined)}
          onSaved={status =>
            setWritten(w => ({ ...w, [current.campaign.id]: status }))
          }
        />
      )}
    </>
  );
}

/** @public */
export interface CampaignsCardProps {
  variant?: InfoCardVariants;
}

/**
 * The migration campaigns an entity is in: its status in each, what to do next, the deadline,
 * and for its owners a status and note to set by hand.
 *
 * @public
 */
export function CampaignsCard(props: CampaignsCardProps) {
  return (
    <InfoCard title="Campaigns" variant={props.variant}>
      <CampaignsCardContent />
    </InfoCard>
  );
}
