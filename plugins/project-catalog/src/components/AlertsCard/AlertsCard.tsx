import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, InfoCardVariants, Link } from '@backstage/core-components';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR,
  ANNOTATION_PAGERDUTY_SERVICE_ID,
  DashApi,
  DashSeverity,
  safeLink,
} from '@dash-suite/plugin-dash-common';
import { List, ListItem, ListItemText, makeStyles } from '@material-ui/core';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  CardEmpty,
  CardError,
  CardLoading,
  NoDashApi,
  SourceNotes,
  fetchWithinLimit,
  formatAge,
  formatFullTime,
  hasData,
  useDashApi,
} from '../cardStates';
import { dashTabLink } from './dashTabLink';
import { Problem, problemsOf, relevantSources } from './problems';

const DAY = 24 * 3_600_000;
/** How far back the card looks for open incidents and for firing alerts' timeline episodes. */
const LOOKBACK_DAYS = 7;

const useStyles = makeStyles(theme => ({
  severity: {
    display: 'inline-block',
    minWidth: '5.5em',
    fontWeight: 600,
    textTransform: 'capitalize',
  },
  critical: { color: theme.palette.error.dark },
  error: { color: theme.palette.error.main },
  warning: { color: theme.palette.warning?.dark ?? '#b28704' },
  info: { color: theme.palette.text.secondary },
  meta: { display: 'inline-flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

async function load(api: DashApi, ref: string) {
  const now = Date.now();
  const [alerts, timeline] = await Promise.allSettled([
    api.getAlerts(ref),
    fetchWithinLimit(LOOKBACK_DAYS, days =>
      api.getTimeline({
        entityRefs: [ref],
        from: new Date(now - days * DAY),
        to: new Date(now),
        kinds: ['incident', 'alert'],
      }),
    ),
  ]);
  if (alerts.status === 'rejected' && timeline.status === 'rejected') {
    throw alerts.reason;
  }
  const ok = <T,>(r: PromiseSettledResult<T>) =>
    r.status === 'fulfilled' ? r.value : undefined;
  const fail = (r: PromiseSettledResult<unknown>) =>
    r.status === 'rejected' ? (r.reason as Error) : undefined;
  return {
    alerts: ok(alerts),
    alertsError: fail(alerts),
    timeline: ok(timeline)?.value,
    timelineError: fail(timeline),
  };
}

interface ProblemRowProps {
  problem: Problem;
  entity: Entity;
  /** Source titles by id, e.g. `grafana` → `Grafana`. */
  titles: Map<string, string>;
  now: number;
}

function ProblemRow({ problem, entity, titles, now }: ProblemRowProps) {
  const classes = useStyles();
  const entityLink = useEntityRefLink();
  const { event } = problem;
  const severity = event.severity as DashSeverity;
  const upstream = safeLink(event.url);
  const what = event.kind === 'incident' ? 'incident' : 'alert';
  const source = titles.get(event.source) ?? event.source;
  const age = formatAge(now - Date.parse(event.startTime));
  return (
    <ListItem disableGutters dense>
      <ListItemText
        primary={
          <>
            <span className={`${classes.severity} ${classes[severity] ?? ''}`}>
              {event.severity}
            </span>
            <Link
              to={dashTabLink(
                entityLink(entity),
                event.startTime,
                now,
                problem.timelineId,
              )}
            >
              {event.title}
            </Link>
          </>
        }
        secondary={
          <span className={classes.meta}>
            <span title={formatFullTime(event.startTime)}>
              {source} {what}, {event.status ?? 'open'} for {age}
            </span>
            {upstream && <Link to={upstream}>open in {source}</Link>}
          </span>
        }
      />
    </ListItem>
  );
}

function AlertsContent() {
  const { entity } = useEntity();
  const api = useDashApi();
  const ref = stringifyEntityRef(entity);
  const state = useAsyncRetry(
    async () => (api ? load(api, ref) : undefined),
    [api, ref],
  );
  if (!api) return <NoDashApi />;
  if (state.loading && !state.value) return <CardLoading what="alerts" />;
  if (state.error) {
    return (
      <CardError
        title="Could not load alerts"
        error={state.error}
        onRetry={state.retry}
      />
    );
  }
  const data = state.value;
  if (!data) return null;
  const now = Date.now();
  const sources = relevantSources(
    data.alerts?.sources ?? [],
    data.timeline?.sources ?? [],
  );
  const titles = new Map(sources.map(s => [s.id, s.title || s.id]));
  const problems = problemsOf(
    data.alerts?.alerts ?? [],
    data.timeline?.events ?? [],
  );
  return (
    <>
      {data.alertsError && (
        <CardError
          title="Could not load firing alerts"
          error={data.alertsError}
        />
      )}
      {data.timelineError && (
        <CardError
          title="Could not load open incidents"
          error={data.timelineError}
        />
      )}
      <SourceNotes sources={sources} now={now} />
      {problems.length > 0 && (
        <List
          dense
          disablePadding
          aria-label="Firing alerts and open incidents"
        >
          {problems.map(p => (
            <ProblemRow
              key={p.event.id}
              problem={p}
              entity={entity}
              titles={titles}
              now={now}
            />
          ))}
        </List>
      )}
      {!problems.length && !sources.length && (
        <CardEmpty
          hint={`Add ${ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR} or ${ANNOTATION_PAGERDUTY_SERVICE_ID} to see firing alerts and open incidents.`}
        >
          No alert source applies to this entity.
        </CardEmpty>
      )}
      {!problems.length && sources.length > 0 && (
        <CardEmpty>
          {sources.some(hasData)
            ? 'Nothing is firing and no incident is open.'
            : 'No alert data: no source could answer.'}
        </CardEmpty>
      )}
    </>
  );
}

/** @public */
export interface AlertsCardProps {
  variant?: InfoCardVariants;
}

/**
 * Alerts firing now (Grafana, Kibana) and open PagerDuty incidents, with severity and age, each
 * linking into the DASH tab with its event selected; from the DASH backend's `GET /alerts` and
 * `GET /timeline`.
 *
 * @public
 */
export function AlertsCard(props: AlertsCardProps) {
  return (
    <InfoCard title="Alerts" variant={props.variant}>
      <AlertsContent />
    </InfoCard>
  );
}
