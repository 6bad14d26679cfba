import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  InfoCardVariants,
  Progress,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { DashApi, DashDoraMetrics } from '@dash-suite/plugin-dash-common';
import { Typography, makeStyles, useTheme } from '@material-ui/core';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Line, LineChart, YAxis } from 'recharts';
import {
  CardEmpty,
  CardError,
  CardLoading,
  NoDashApi,
  SourceNotes,
  fetchWithinLimit,
  formatTime,
  useDashApi,
} from '../cardStates';
import {
  DEFAULT_PERIOD,
  METRICS,
  MetricDefinition,
  PERIODS,
  describeBasis,
  isEmpty,
  trendBuckets,
} from './metrics';

const DAY = 24 * 3_600_000;

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))',
    gap: theme.spacing(2),
    margin: theme.spacing(1, 0),
  },
  value: { fontSize: '1.5rem', fontWeight: 500 },
}));

interface Point {
  label: string;
  value: number | null;
}

function Sparkline({
  metric,
  points,
}: {
  metric: MetricDefinition;
  points: Point[];
}) {
  const theme = useTheme();
  const known = points.filter(p => p.value !== null);
  if (known.length < 2) return null;
  const words = points
    .map(
      p =>
        `${p.label}: ${p.value === null ? 'no data' : metric.format(p.value)}`,
    )
    .join('; ');
  return (
    <div role="img" aria-label={`${metric.label} trend, ${words}`}>
      <LineChart width={140} height={36} data={points}>
        <YAxis hide domain={['auto', 'auto']} />
        <Line
          type="monotone"
          dataKey="value"
          dot={false}
          connectNulls
          isAnimationActive={false}
          stroke={theme.palette.primary.main}
          strokeWidth={2}
        />
      </LineChart>
    </div>
  );
}

async function loadTrend(api: DashApi, entityRef: string, m: DashDoraMetrics) {
  const buckets = trendBuckets(Date.parse(m.from), Date.parse(m.to));
  return Promise.all(
    buckets.map(async b => ({
      label: formatTime(new Date(b.from).toISOString()),
      metrics: await api.getDora({
        entityRef,
        from: new Date(b.from),
        to: new Date(b.to),
      }),
    })),
  );
}

function DoraContent() {
  const classes = useStyles();
  const { entity } = useEntity();
  const api = useDashApi();
  const ref = stringifyEntityRef(entity);
  const [period, setPeriod] = useState<number>(DEFAULT_PERIOD);
  // The widest window the backend allows, once one of its answers named it.
  const limit = useRef<number | undefined>(undefined);

  const main = useAsyncRetry(async () => {
    if (!api) return undefined;
    const now = Date.now();
    const requested = Math.min(period, limit.current ?? period);
    const result = await fetchWithinLimit(requested, days =>
      api.getDora({
        entityRef: ref,
        from: new Date(now - days * DAY),
        to: new Date(now),
      }),
    );
    if (result.limitDays) limit.current = result.limitDays;
    return result;
  }, [api, ref, period]);
  const metrics = main.value?.value;
  const trend = useAsync(
    async () => (api && metrics ? loadTrend(api, ref, metrics) : undefined),
    [api, ref, metrics],
  );

  if (!api) return <NoDashApi />;
  const days = metrics
    ? Math.round((Date.parse(metrics.to) - Date.parse(metrics.from)) / DAY)
    : period;
  const now = Date.now();
  return (
    <>
      <div className={classes.header}>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={period}
          onChange={(_, v) => v && setPeriod(v)}
          aria-label="Period"
        >
          {PERIODS.map(p => (
            <ToggleButton key={p} value={p} aria-label={`${p} days`}>
              {p} d
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {metrics && days < period && (
          <Typography variant="body2" color="textSecondary">
            The last {days} days: the widest window the DASH backend allows.
          </Typography>
        )}
      </div>
      {main.loading && !metrics && <CardLoading what="DORA metrics" />}
      {main.loading && metrics && <Progress />}
      {main.error && !main.loading && (
        <CardError
          title="Could not load DORA metrics"
          error={main.error}
          onRetry={main.retry}
        />
      )}
      {metrics && !main.error && (
        <>
          <SourceNotes sources={metrics.sources} now={now} />
          {isEmpty(metrics) ? (
            <CardEmpty>
              No production deploys, merged pull requests or resolved incidents
              in the last {days} days.
            </CardEmpty>
          ) : (
            <div className={classes.grid}>
              {METRICS.map(m => {
                const value = metrics[m.key];
                return (
                  <section key={m.key} aria-label={m.label}>
                    <Typography variant="overline" component="h3">
                      {m.label}
                    </Typography>
                    <Typography className={classes.value}>
                      {value === null ? 'no data' : m.format(value)}
                    </Typography>
                    {trend.value && (
                      <Sparkline
                        metric={m}
                        points={trend.value.map(t => ({
                          label: t.label,
                          value: t.metrics[m.key],
                        }))}
                      />
                    )}
                  </section>
                );
              })}
            </div>
          )}
          {trend.error && (
            <Typography variant="body2" color="textSecondary">
              Trend unavailable: {trend.error.message}
            </Typography>
          )}
          <Typography variant="body2" color="textSecondary">
            Over the last {days} days: {describeBasis(metrics)}.
          </Typography>
        </>
      )}
    </>
  );
}

/** @public */
export interface DoraCardProps {
  variant?: InfoCardVariants;
}

/**
 * The four DORA metrics over 7, 30 or 90 days (at most what the backend allows), with a small
 * trend for each and the counts they rest on; from the DASH backend's `GET /dora`.
 *
 * @public
 */
export function DoraCard(props: DoraCardProps) {
  return (
    <InfoCard title="DORA metrics" variant={props.variant}>
      <DoraContent />
    </InfoCard>
  );
}
