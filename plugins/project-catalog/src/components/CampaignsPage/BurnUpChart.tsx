import { CampaignHistoryPoint } from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  useTheme,
} from '@material-ui/core';
import { useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { finishedOf } from '../CampaignShared';

export interface BurnUpDay {
  day: string;
  finished: number;
  total: number;
}

/** The burn-up's series: finished (done and exempt) and all entities, per day. */
export function burnUpDays(points: CampaignHistoryPoint[]): BurnUpDay[] {
  return points
    .filter(p => !p.team)
    .map(p => ({
      day: p.day,
      finished: finishedOf(p.counts),
      total: p.counts.total,
    }))
    .sort((a, b) => a.day.localeCompare(b.day));
}

/** The chart in words, for screen readers: where it started and where it is. */
export function describeBurnUp(days: BurnUpDay[]): string {
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return 'Burn-up: no data';
  const now = `${last.finished} of ${last.total} finished on ${last.day}`;
  return first === last
    ? `Burn-up: ${now}`
    : `Burn-up: ${now}, from ${first.finished} of ${first.total} on ${first.day}`;
}

const HEIGHT = 260;

/**
 * Finished against all entities, per day, with the deadline marked when it falls within the
 * days shown. Beside it, the same in words, and the days as a table on demand.
 */
export const BurnUpChart = ({
  points,
  deadline,
}: {
  points: CampaignHistoryPoint[];
  /** ISO; marked when its day is one of the points. */
  deadline?: string;
}) => {
  const theme = useTheme();
  const [table, setTable] = useState(false);
  const days = burnUpDays(points);
  const deadlineDay = deadline?.slice(0, 10);
  const marksDeadline = days.some(d => d.day === deadlineDay);
  return (
    <>
      <div role="img" aria-label={describeBurnUp(days)}>
        <ResponsiveContainer
          width="100%"
          height={HEIGHT}
          // jsdom and the first paint have no size; the chart draws at this one until measured.
          initialDimension={{ width: 640, height: HEIGHT }}
        >
          <LineChart
            data={days}
            margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" minTickGap={24} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {marksDeadline && (
              <ReferenceLine
                x={deadlineDay}
                stroke={theme.palette.error.main}
                strokeDasharray="4 4"
                label="Deadline"
              />
            )}
            <Line
              type="stepAfter"
              dataKey="total"
              name="All entities"
              dot={false}
              isAnimationActive={false}
              stroke={theme.palette.text.secondary}
              strokeWidth={2}
            />
            <Line
              type="stepAfter"
              dataKey="finished"
              name="Finished (done or exempt)"
              dot={false}
              isAnimationActive={false}
              stroke={theme.palette.success.main}
              strokeWidth={2}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="body2" color="textSecondary">
          {describeBurnUp(days)}.
        </Typography>
        <Button
          size="small"
          onClick={() => setTable(t => !t)}
          aria-expanded={table}
        >
          {table ? 'Hide the data' : 'Show the data as a table'}
        </Button>
      </Box>
      {/* Rendered only when asked for: a long campaign has hundreds of days. */}
      {table && (
        <Table size="small" aria-label="Burn-up data">
          <TableHead>
            <TableRow>
              <TableCell>Day</TableCell>
              <TableCell align="right">Finished</TableCell>
              <TableCell align="right">All entities</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {[...days].reverse().map(d => (
              <TableRow key={d.day}>
                <TableCell>{d.day}</TableCell>
                <TableCell align="right">{d.finished}</TableCell>
                <TableCell align="right">{d.total}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
};
