import { ContentHeader, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Campaign,
  projectCatalogCampaignManagePermission,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Button,
  Chip,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { projectCatalogApiRef } from '../../api';
import { messageOf } from '../../lib/writeError';
import { campaignRouteRef } from '../../routes';
import { CardEmpty, CardError, CardLoading } from '../cardStates';
import { CampaignFormDialog } from '../CampaignForm';
import {
  Deadline,
  countsSummary,
  degradedSummary,
  degradedTotal,
  finishedOf,
} from '../CampaignShared';

/** How many campaigns the list shows at first, and how many more each "Show more" adds. */
export const CAMPAIGN_LIST_STEP = 50;

const useStyles = makeStyles(theme => ({
  progress: { minWidth: 160 },
  bar: { height: 8, borderRadius: 4, margin: theme.spacing(0.5, 0) },
  badges: { display: 'flex', gap: theme.spacing(0.5), flexWrap: 'wrap' },
}));

/** Open campaigns first (nearest deadline first), finished ones after. */
function byDeadline(a: Campaign, b: Campaign): number {
  const doneA = a.counts.total > 0 && finishedOf(a.counts) === a.counts.total;
  const doneB = b.counts.total > 0 && finishedOf(b.counts) === b.counts.total;
  if (doneA !== doneB) return doneA ? 1 : -1;
  return Date.parse(a.deadline) - Date.parse(b.deadline);
}

/** A campaign's progress: a bar of finished (done and exempt) of all, and the counts. */
export const CampaignProgress = ({ campaign }: { campaign: Campaign }) => {
  const classes = useStyles();
  const { counts } = campaign;
  const finished = finishedOf(counts);
  const percent = counts.total
    ? Math.round((finished / counts.total) * 100)
    : 0;
  return (
    <div className={classes.progress}>
      <Typography variant="body2">
        {finished} of {counts.total} finished ({percent}%)
      </Typography>
      <LinearProgress
        className={classes.bar}
        variant="determinate"
        value={percent}
        aria-label={`${campaign.title}: ${finished} of ${counts.total} finished`}
      />
      <Typography variant="caption" color="textSecondary">
        {countsSummary(counts)}
      </Typography>
    </div>
  );
};

function CampaignRow({
  campaign,
  link,
  now,
}: {
  campaign: Campaign;
  link: (params: { id: string }) => string;
  now: number;
}) {
  const classes = useStyles();
  const degraded = degradedTotal(campaign);
  const finished =
    campaign.counts.total > 0 &&
    finishedOf(campaign.counts) === campaign.counts.total;
  return (
    <TableRow>
      <TableCell>
        <Link to={link({ id: campaign.id })}>{campaign.title}</Link>
        <div className={classes.badges}>
          {campaign.origin === 'config' && (
            <Tooltip title="Defined in app-config (projectCatalog.campaigns.definitions); change it there">
              <Chip
                size="small"
                variant="outlined"
                label="app-config · read-only"
              />
            </Tooltip>
          )}
          {campaign.evaluationError && (
            <Tooltip title={campaign.evaluationError}>
              <Chip size="small" label="Last evaluation failed" />
            </Tooltip>
          )}
        </div>
      </TableCell>
      <TableCell>
        <EntityRefLink entityRef={campaign.owner} defaultKind="group" />
      </TableCell>
      <TableCell>
        <Deadline deadline={campaign.deadline} finished={finished} now={now} />
      </TableCell>
      <TableCell>
        <CampaignProgress campaign={campaign} />
      </TableCell>
      <TableCell>
        {degraded > 0 ? (
          <Tooltip
            title={`Last check could not answer: ${degradedSummary(campaign)}`}
          >
            <Chip size="small" label={`${degraded} degraded`} />
          </Tooltip>
        ) : (
          <Typography variant="body2" color="textSecondary">
            none
          </Typography>
        )}
      </TableCell>
    </TableRow>
  );
}

/** Every campaign with its owner, deadline and progress; managers start new ones here. */
export const CampaignList = () => {
  const api = useApi(projectCatalogApiRef);
  const state = useAsyncRetry(() => api.listCampaigns(), [api]);
  const manage = usePermission({
    permission: projectCatalogCampaignManagePermission,
  });
  const link = useRouteRef(campaignRouteRef);
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState(CAMPAIGN_LIST_STEP);

  const campaigns = [...(state.value ?? [])].sort(byDeadline);
  const now = Date.now();
  return (
    <>
      <ContentHeader title="Migration campaigns">
        {manage.allowed && (
          <Button
            variant="contained"
            color="primary"
            onClick={() => setCreating(true)}
          >
            New campaign
          </Button>
        )}
      </ContentHeader>
      {state.loading && !state.value && <CardLoading what="campaigns" />}
      {state.error && (
        <CardError
          title="Could not load the campaigns"
          error={messageOf(state.error)}
          onRetry={state.retry}
        />
      )}
      {state.value && !campaigns.length && (
        <CardEmpty
          hint={
            manage.allowed
              ? 'Start one with New campaign, or define them in app-config (projectCatalog.campaigns.definitions).'
              : 'Campaigns appear here when a campaign manager starts one.'
          }
        >
          No campaigns yet.
        </CardEmpty>
      )}
      {campaigns.length > 0 && (
        <Table size="small" aria-label="Campaigns">
          <TableHead>
            <TableRow>
              <TableCell>Campaign</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell>Deadline</TableCell>
              <TableCell>Progress</TableCell>
              <TableCell>Degraded</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {campaigns.slice(0, shown).map(c => (
              <CampaignRow key={c.id} campaign={c} link={link} now={now} />
            ))}
          </TableBody>
        </Table>
      )}
      {campaigns.length > shown && (
        <Box mt={1}>
          <Button onClick={() => setShown(s => s + CAMPAIGN_LIST_STEP)}>
            Show more ({campaigns.length - shown} left)
          </Button>
        </Box>
      )}
      {creating && (
        <CampaignFormDialog
          onClose={() => setCreating(false)}
          onSaved={created => navigate(link({ id: created.id }))}
        />
      )}
    </>
  );
};
