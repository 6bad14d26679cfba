/*
 * The organisation behind the data: people (PagerDuty users and GitHub authors), teams with
 * their on-call schedule (weekly rotation, hand-off Monday 09:00 UTC) and escalation policy.
 */
import { Rng } from '../random';
import { DAY } from '../time';
import { Catalog } from './catalog';
import { Person, Team } from './model';

export interface Org {
  persons: Person[];
  personByName: Map<string, Person>;
  personByPdId: Map<string, Person>;
  teams: Team[];
  teamByName: Map<string, Team>;
  teamBySchedule: Map<string, Team>;
  teamByPolicy: Map<string, Team>;
  /** The team whose schedule is escalation level 2 of every policy. */
  sreTeam: Team;
}

/** Monday 2024-01-01T09:00:00Z: the rotations count weeks from here. */
export const ROTATION_ANCHOR = Date.UTC(2024, 0, 1, 9);
export const WEEK = 7 * DAY;

function pdId(rng: Rng, prefix: string): string {
  return prefix + rng.alnum(7 - prefix.length);
}

function githubLogin(name: string): string {
  const parts = name.split(/[.\s_-]+/).filter(Boolean);
  if (parts.length < 2)
    return name.replace(/[^a-z0-9-]/gi, '-').toLocaleLowerCase('en-US');
  return `${parts[0][0]}${parts[parts.length - 1]}`.toLocaleLowerCase('en-US');
}

function buildIndexes(
  persons: Person[],
  teams: Team[],
  sreTeamName: string,
): Org {
  const teamByName = new Map(teams.map(t => [t.name, t]));
  return {
    persons,
    personByName: new Map(persons.map(p => [p.name, p])),
    personByPdId: new Map(persons.map(p => [p.pdId, p])),
    teams,
    teamByName,
    teamBySchedule: new Map(teams.map(t => [t.scheduleId, t])),
    teamByPolicy: new Map(teams.map(t => [t.escalationPolicyId, t])),
    sreTeam: teamByName.get(sreTeamName) ?? teams[teams.length - 1],
  };
}

/** People and teams from the demo catalog. */
export function orgFromCatalog(catalog: Catalog, seed: number): Org {
  const teamGroups = catalog.groups.filter(g => g.type === 'team');
  const persons: Person[] = catalog.users.map((u, i) => {
    const rng = new Rng(seed, 'person', u.name);
    return {
      name: u.name,
      displayName: u.displayName,
      email: u.email,
      pdId: pdId(rng, 'PU'),
      login: githubLogin(u.name),
      ghId: 5_100_000 + i * 17 + rng.int(0, 16),
      team: (u.memberOf[0] ?? teamGroups[0]?.name ?? 'team').replace(
        /^group:(default\/)?/,
        '',
      ),
    };
  });
  const teams: Team[] = teamGroups.map(g => {
    const rng = new Rng(seed, 'team', g.name);
    return {
      name: g.name,
      displayName: g.displayName,
      pdTeamId: pdId(rng, 'PT'),
      scheduleId: pdId(rng, 'PS'),
      scheduleName: `${g.displayName} primary`,
      escalationPolicyId: pdId(rng, 'PE'),
      escalationPolicyName: `${g.displayName} escalation`,
      // The demo sign-in user is a member of SRE but never on call.
      members: persons
        .filter(p => p.team === g.name && p.name !== 'guest')
        .map(p => p.name),
    };
  });
  return buildIndexes(persons, teams, 'team-sre');
}

/**
 * Generated people and teams for the 'scale' scenario: always 50 teams of 4, so that a service's
 * data depends on (seed, index) only, not on how many services there are.
 */
export function orgForScale(seed: number): Org {
  const teamCount = 50;
  const persons: Person[] = [];
  const teams: Team[] = [];
  for (let t = 0; t < teamCount; t++) {
    const name = `team-${String(t).padStart(2, '0')}`;
    const rng = new Rng(seed, 'team', name);
    const members: string[] = [];
    for (let m = 0; m < 4; m++) {
      const userName = `user-${String(t).padStart(2, '0')}-${m}`;
      const prng = new Rng(seed, 'person', userName);
      persons.push({
        name: userName,
        displayName: `User ${t}.${m}`,
        email: `${userName}@scale.example`,
        pdId: pdId(prng, 'PU'),
        login: userName,
        ghId: 7_000_000 + t * 10 + m,
        team: name,
      });
      members.push(userName);
    }
    teams.push({
      name,
      displayName: `Team ${t}`,
      pdTeamId: pdId(rng, 'PT'),
      scheduleId: pdId(rng, 'PS'),
      scheduleName: `Team ${t} primary`,
      escalationPolicyId: pdId(rng, 'PE'),
      escalationPolicyName: `Team ${t} escalation`,
      members,
    });
  }
  return buildIndexes(persons, teams, teams[0].name);
}

/** Offset of the rotation per team, so that not every team starts with its first member. */
function rotationOffset(team: Team, seed: number): number {
  return new Rng(seed, 'rotation', team.name).int(
    0,
    Math.max(0, team.members.length - 1),
  );
}

/** Start of the weekly shift containing t. */
export function shiftStart(t: number): number {
  return ROTATION_ANCHOR + Math.floor((t - ROTATION_ANCHOR) / WEEK) * WEEK;
}

/** Who of the team is on call at t (undefined for a team without members). */
export function onCallAt(
  team: Team,
  seed: number,
  t: number,
): string | undefined {
  if (team.members.length === 0) return undefined;
  const week = Math.floor((t - ROTATION_ANCHOR) / WEEK);
  const n = team.members.length;
  return team.members[(((week + rotationOffset(team, seed)) % n) + n) % n];
}

/** The shifts of the team's schedule overlapping [since, until). */
export function shifts(
  team: Team,
  seed: number,
  since: number,
  until: number,
): Array<{ user: string; start: number; end: number }> {
  const out: Array<{ user: string; start: number; end: number }> = [];
  if (team.members.length === 0) return out;
  let start = shiftStart(since);
  // Bounded: at most ~1 year of weekly shifts per call.
  for (let i = 0; i < 60 && start < Math.max(until, since + 1); i++) {
    const user = onCallAt(team, seed, start)!;
    out.push({ user, start, end: start + WEEK });
    start += WEEK;
  }
  return out;
}

/** The team's escalation policy levels: 1 = the team's schedule, 2 = SRE's schedule. */
export function escalationTargets(org: Org, team: Team): Team[] {
  if (team.name === org.sreTeam.name) return [team];
  return [team, org.sreTeam];
}

/** Minutes before an unacknowledged incident escalates from level 1 to level 2. */
export const ESCALATION_DELAY_MIN = 30;
