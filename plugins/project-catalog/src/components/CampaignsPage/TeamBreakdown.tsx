import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { CampaignHistoryPoint } from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';
import { useState } from 'react';
import { finishedOf } from '../CampaignShared';

/** How many teams the table shows at first, and how many more each "Show more" adds. */
export const TEAM_STEP = 25;

export interface TeamProgress {
  /** The owner group ref; empty for entities without an owner. */
  team: string;
  day: string;
  finished: number;
  total: number;
  /** 0–100, or undefined for a team with no entities. */
  percent?: number;
}

/**
 * Each team's last day: finished of all; the least finished first. A point without a team is
 * the whole campaign (`byTeam` answers it too), not a team.
 */
export function teamProgress(points: CampaignHistoryPoint[]): TeamProgress[] {
  const last = new Map<string, CampaignHistoryPoint>();
  for (const p of points) {
    const team = p.team;
    if (!team) continue;
    const seen = last.get(team);
    if (!seen || seen.day < p.day) last.set(team, p);
  }
  return [...last.entries()]
    .map(([team, p]) => {
      const finished = finishedOf(p.counts);
      const total = p.counts.total;
      return {
        team,
        day: p.day,
        finished,
        total,
        percent: total ? Math.round((finished / total) * 100) : undefined,
      };
    })
    .sort(
      (a, b) =>
        (a.percent ?? 101) - (b.percent ?? 101) || a.team.localeCompare(b.team),
    );
}

/** Finished of all per owner team, with a way to list a team's entities. */
export const TeamBreakdown = ({
  points,
  onShowTeam,
}: {
  points: CampaignHistoryPoint[];
  onShowTeam(team: string): void;
}) => {
  const [shown, setShown] = useState(TEAM_STEP);
  const teams = teamProgress(points);
  return (
    <>
      <Table size="small" aria-label="Progress by team">
        <TableHead>
          <TableRow>
            <TableCell>Team</TableCell>
            <TableCell align="right">Finished</TableCell>
            <TableCell align="right">All</TableCell>
            <TableCell align="right">%</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {teams.slice(0, shown).map(t => (
            <TableRow key={t.team}>
              <TableCell>
                <EntityRefLink entityRef={t.team} defaultKind="group" />
              </TableCell>
              <TableCell align="right">{t.finished}</TableCell>
              <TableCell align="right">{t.total}</TableCell>
              <TableCell align="right">
                {t.percent === undefined ? '–' : `${t.percent}%`}
              </TableCell>
              <TableCell align="right">
                <Button
                  size="small"
                  onClick={() => onShowTeam(t.team)}
                  aria-label={`Show the entities of ${t.team}`}
                >
                  Show entities
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {teams.length > shown && (
        <Box mt={1}>
          <Button size="small" onClick={() => setShown(s => s + TEAM_STEP)}>
            Show more ({teams.length - shown} left)
          </Button>
        </Box>
      )}
    </>
  );
};
