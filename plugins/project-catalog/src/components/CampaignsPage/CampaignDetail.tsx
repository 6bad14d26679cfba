import { ContentHeader, InfoCard, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  CAMPAIGN_SCOPE_KEYS,
  Campaign,
  projectCatalogCampaignManagePermission,
} from '@dash-suite/plugin-project-catalog-common';
import { Box, Button, Grid, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { ReactNode, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { projectCatalogApiRef } from '../../api';
import { messageOf } from '../../lib/writeError';
import { campaignsRouteRef } from '../../routes';
import {
  CardEmpty,
  CardError,
  CardLoading,
  formatFullTime,
  formatRelative,
} from '../cardStates';
import { CampaignFormDialog } from '../CampaignForm';
import {
  Deadline,
  degradedSummary,
  degradedTotal,
  finishedOf,
  formatDate,
  instructionsOf,
} from '../CampaignShared';
import { BurnUpChart } from './BurnUpChart';
import { CampaignEntities } from './CampaignEntities';
import { CampaignProgress } from './CampaignList';
import { EntityFilters, filtersOf, paramsOf } from './entityQuery';
import { TeamBreakdown } from './TeamBreakdown';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0 },
  },
  actions: { display: 'flex', gap: theme.spacing(1) },
}));

const scopeText = (campaign: Campaign) =>
  CAMPAIGN_SCOPE_KEYS.filter(k => campaign.scope[k]?.length)
    .map(k => `${k}: ${campaign.scope[k]!.join(', ')}`)
    .join('; ') || 'everything';

function Facts({ campaign, now }: { campaign: Campaign; now: number }) {
  const classes = useStyles();
  const api = useApi(projectCatalogApiRef);
  // For the check type's title; its id does when the types cannot be listed.
  const checkTypes = useAsync(() => api.getCampaignCheckTypes(), [api]);
  const checkTitle =
    checkTypes.value?.find(t => t.id === campaign.check.type)?.title ??
    campaign.check.type;
  const finished =
    campaign.counts.total > 0 &&
    finishedOf(campaign.counts) === campaign.counts.total;
  const rows: [string, ReactNode][] = [
    ['Owner', <EntityRefLink entityRef={campaign.owner} defaultKind="group" />],
    ['Check', `${checkTitle} ${JSON.stringify(campaign.check.config)}`],
    ['Scope', scopeText(campaign)],
    [
      'Starts',
      <time
        dateTime={campaign.startsAt}
        title={formatFullTime(campaign.startsAt)}
      >
        {formatDate(campaign.startsAt)} (
        {formatRelative(campaign.startsAt, now)})
      </time>,
    ],
    [
      'Deadline',
      <Deadline deadline={campaign.deadline} finished={finished} now={now} />,
    ],
    [
      'Last evaluated',
      campaign.evaluatedAt ? (
        <time
          dateTime={campaign.evaluatedAt}
          title={formatFullTime(campaign.evaluatedAt)}
        >
          {formatRelative(campaign.evaluatedAt, now)}
        </time>
      ) : (
        'not yet'
      ),
    ],
    ['Progress', <CampaignProgress campaign={campaign} />],
  ];
  return (
    <dl className={classes.facts} aria-label="Campaign facts">
      {rows.map(([label, value]) => (
        <Box key={label} display="contents">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </Box>
      ))}
    </dl>
  );
}

/** The burn-up of the whole campaign. */
function BurnUp({
  campaign,
  reloadKey,
}: {
  campaign: Campaign;
  reloadKey: number;
}) {
  const api = useApi(projectCatalogApiRef);
  const history = useAsyncRetry(
    () => api.getCampaignHistory(campaign.id),
    [api, campaign.id, reloadKey],
  );
  if (history.loading && !history.value)
    return <CardLoading what="the burn-up" />;
  if (history.error) {
    return (
      <CardError
        title="Could not load the burn-up"
        error={messageOf(history.error)}
        onRetry={history.retry}
      />
    );
  }
  const points = history.value?.points ?? [];
  if (!points.length) {
    return (
      <CardEmpty hint="Each evaluation records the day's counts.">
        No history yet.
      </CardEmpty>
    );
  }
  return <BurnUpChart points={points} deadline={campaign.deadline} />;
}

/** Finished of all per owner team (the last day of each). */
function ByTeam({
  campaign,
  reloadKey,
  onShowTeam,
}: {
  campaign: Campaign;
  reloadKey: number;
  onShowTeam(team: string): void;
}) {
  const api = useApi(projectCatalogApiRef);
  const history = useAsyncRetry(
    () => api.getCampaignHistory(campaign.id, { byTeam: true }),
    [api, campaign.id, reloadKey],
  );
  if (history.loading && !history.value)
    return <CardLoading what="the teams" />;
  if (history.error) {
    return (
      <CardError
        title="Could not load the progress by team"
        error={messageOf(history.error)}
        onRetry={history.retry}
      />
    );
  }
  const points = history.value?.points ?? [];
  if (!points.length) {
    return <CardEmpty>No history by team yet.</CardEmpty>;
  }
  return <TeamBreakdown points={points} onShowTeam={onShowTeam} />;
}

export interface CampaignDetailProps {
  id: string;
}

/**
 * One campaign: its facts, the burn-up, progress by team and the entities left to do, with
 * evaluation on demand, editing and exemptions for campaign managers.
 */
export const CampaignDetail = ({ id }: CampaignDetailProps) => {
  const classes = useStyles();
  const api = useApi(projectCatalogApiRef);
  const listLink = useRouteRef(campaignsRouteRef);
  const [reloadKey, setReloadKey] = useState(0);
  const state = useAsyncRetry(() => api.getCampaign(id), [api, id, reloadKey]);
  const manage = usePermission({
    permission: projectCatalogCampaignManagePermission,
  });
  const [saved, setSaved] = useState<Campaign>();
  const [editing, setEditing] = useState(false);
  const [evaluation, setEvaluation] = useState<
    | { state: 'running' }
    | { state: 'started' }
    | { state: 'failed'; message: string }
  >();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const setFilters = (next: EntityFilters) =>
    setParams(paramsOf(next, params), { replace: true });

  const fetched = state.value;
  const campaign =
    saved && saved.id === id && (!fetched || saved.version >= fetched.version)
      ? saved
      : fetched;

  const back = (
    <Box mb={1}>
      <Link to={listLink()}>All campaigns</Link>
    </Box>
  );
  if (state.loading && !campaign) {
    return (
      <>
        {back}
        <CardLoading what="the campaign" />
      </>
    );
  }
  if (!campaign) {
    return (
      <>
        {back}
        <CardError
          title="Could not load the campaign"
          error={state.error ? messageOf(state.error) : `No campaign ${id}`}
          onRetry={state.retry}
        />
      </>
    );
  }

  const evaluate = async () => {
    setEvaluation({ state: 'running' });
    try {
      await api.evaluateCampaign(campaign.id);
      setEvaluation({ state: 'started' });
    } catch (e) {
      setEvaluation({ state: 'failed', message: messageOf(e) });
    }
  };
  const reload = () => {
    setEvaluation(undefined);
    setSaved(undefined);
    setReloadKey(k => k + 1);
  };

  const now = Date.now();
  const canManage = manage.allowed;
  const fromConfig = campaign.origin === 'config';
  const instructions = instructionsOf(campaign);
  const degraded = degradedTotal(campaign);
  return (
    <>
      {back}
      <ContentHeader title={campaign.title}>
        {canManage && (
          <div className={classes.actions}>
            <Button
              variant="outlined"
              onClick={evaluate}
              disabled={evaluation?.state === 'running'}
            >
              Evaluate now
            </Button>
            {!fromConfig && (
              <Button
                variant="contained"
                color="primary"
                onClick={() => setEditing(true)}
              >
                Edit
              </Button>
            )}
          </div>
        )}
      </ContentHeader>
      <Grid container spacing={3}>
        {fromConfig && (
          <Grid item xs={12}>
            <Alert severity="info">
              This campaign is defined in app-config
              (projectCatalog.campaigns.definitions): it is read-only here;
              change it there.
            </Alert>
          </Grid>
        )}
        {evaluation?.state === 'started' && (
          <Grid item xs={12}>
            <Alert
              severity="success"
              action={
                <Button color="inherit" size="small" onClick={reload}>
                  Reload
                </Button>
              }
            >
              Evaluation started. The statuses update when it finishes.
            </Alert>
          </Grid>
        )}
        {evaluation?.state === 'failed' && (
          <Grid item xs={12}>
            <Alert severity="error" onClose={() => setEvaluation(undefined)}>
              Could not start an evaluation: {evaluation.message}
            </Alert>
          </Grid>
        )}
        {campaign.evaluationError && (
          <Grid item xs={12}>
            <Alert severity="error">
              The last evaluation failed: {campaign.evaluationError}
            </Alert>
          </Grid>
        )}
        {degraded > 0 && (
          <Grid item xs={12}>
            <Alert severity="warning">
              The last check could not answer for {degraded}{' '}
              {degraded === 1 ? 'entity' : 'entities'} (
              {degradedSummary(campaign)}); they keep their status from before.
            </Alert>
          </Grid>
        )}
        <Grid item xs={12} md={5}>
          <InfoCard title="About">
            {campaign.description && (
              <Typography variant="body1" paragraph>
                {campaign.description}
              </Typography>
            )}
            {instructions && (
              <Typography variant="body2" paragraph>
                {instructions}
              </Typography>
            )}
            <Facts campaign={campaign} now={now} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={7}>
          <InfoCard title="Burn-up">
            <BurnUp campaign={campaign} reloadKey={reloadKey} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={5}>
          <InfoCard title="By team">
            <ByTeam
              campaign={campaign}
              reloadKey={reloadKey}
              onShowTeam={team => setFilters({ ...filters, owner: team })}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={7}>
          <InfoCard title="Entities">
            <CampaignEntities
              campaignId={campaign.id}
              filters={filters}
              onFiltersChange={setFilters}
              canExempt={canManage}
              reloadKey={reloadKey}
              onEntityChange={state.retry}
            />
          </InfoCard>
        </Grid>
      </Grid>
      {editing && (
        <CampaignFormDialog
          campaign={campaign}
          onClose={() => setEditing(false)}
          onSaved={setSaved}
          onCurrent={setSaved}
        />
      )}
    </>
  );
};

/** The campaign of the route's `:id`. */
export const CampaignDetailRoute = () => {
  const { id = '' } = useParams();
  return <CampaignDetail id={id} />;
};
