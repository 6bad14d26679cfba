/*
 * The Slack workspace of the catalog scenarios: one channel per catalog service (named after
 * it, its id in the service's `slack.com/channel-id` annotation), incident channels that the
 * stories open (`inc-<number>-<service>`), one Slack user per catalog person, and background
 * chatter in the service channels, derived per (seed, service, UTC day) like the rest of the
 * background, so it costs nothing until a channel is read.
 */
import { ScenarioService } from '../types';
import { Rng, hashParts } from '../random';
import { DAY, HOUR, MINUTE, SECOND } from '../time';
import { Person, SlackChannel, SlackMessage } from './model';

/** The annotation naming a service's Slack channel(s), comma separated. */
export const ANNOTATION_SLACK_CHANNEL_ID = 'slack.com/channel-id';
export const SLACK_TEAM_ID = 'T0ACME0001';
export const SLACK_TEAM_DOMAIN = 'acme';
export const SLACK_WORKSPACE_URL = 'https://acme.slack.com';

const ID_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A Slack-style id: the prefix and 10 upper-case characters derived from the key (no seed). */
function slackId(prefix: string, key: string): string {
  let h1 = hashParts('slack', key);
  let h2 = hashParts(key, 'slack');
  let out = '';
  for (let i = 0; i < 10; i++) {
    const h = i < 5 ? h1 : h2;
    out += ID_CHARS[h % 36];
    if (i < 5) h1 = Math.floor(h1 / 36);
    else h2 = Math.floor(h2 / 36);
  }
  return `${prefix}${out}`;
}

/** The channel id of a service's own channel: the one its catalog annotation names, else derived. */
export function serviceChannelId(svc: ScenarioService): string {
  const annotated =
    svc.annotations[ANNOTATION_SLACK_CHANNEL_ID]?.split(',')[0]?.trim();
  return annotated || slackId('C', `service:${svc.name}`);
}

/** Annotates a catalog service with its channel, unless the catalog already names one. */
export function withSlackChannel(svc: ScenarioService): ScenarioService {
  if (svc.annotations[ANNOTATION_SLACK_CHANNEL_ID]?.trim()) return svc;
  svc.annotations[ANNOTATION_SLACK_CHANNEL_ID] = serviceChannelId(svc);
  return svc;
}

export function incidentChannelId(incidentId: string): string {
  return slackId('C', `incident:${incidentId}`);
}

export function slackUserId(personName: string): string {
  return slackId('U', `user:${personName}`);
}

/** A message id at `at`: whole seconds, then a 6-digit counter that keeps ids unique. */
export function slackTs(at: number, n: number): string {
  return `${Math.floor(at / SECOND)}.${String(n % 1_000_000).padStart(6, '0')}`;
}

/** `<@U…>`: how a message mentions a person. */
export const mention = (personName: string) => `<@${slackUserId(personName)}>`;

export function archiveUrl(channel: string): string {
  return `${SLACK_WORKSPACE_URL}/archives/${channel}`;
}

export function permalink(channel: string, ts: string, threadTs?: string) {
  const base = `${archiveUrl(channel)}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts
    ? `${base}?thread_ts=${threadTs}&cid=${channel}`
    : base;
}

/** The own channel of a service, as a channel record. */
export function serviceChannel(
  svc: ScenarioService,
  createdAt: number,
  creator: string,
): SlackChannel {
  return {
    id: serviceChannelId(svc),
    name: svc.name,
    createdAt,
    creator,
    purpose: `Everything about ${svc.name}: deploys, questions, alerts`,
  };
}

const CHATTER: ReadonlyArray<{
  text: (svc: string, v: number) => string;
  reaction?: string;
}> = [
  { text: s => `Deploying ${s} to staging, shout if you see anything odd` },
  { text: () => 'Anyone else seeing slow CI runs this morning?' },
  {
    text: s => `PR for the ${s} dashboard cleanup is up, reviews welcome`,
    reaction: 'eyes',
  },
  { text: (_, v) => `Bumped the base image, ${v} CVEs fixed` },
  {
    text: s => `Heads up: ${s} canary looks fine, promoting`,
    reaction: 'white_check_mark',
  },
  { text: () => 'Reminder: game day on Thursday, see the calendar invite' },
  {
    text: s =>
      `:rotating_light: Staging ${s} is returning 502s, looking into it (not prod)`,
    reaction: 'rotating_light',
  },
];

/**
 * Background messages of a service channel on one UTC day (deterministic per seed, service,
 * day): a handful of working-hours messages, some with reactions; the channel's first day also
 * gets the pinned runbook link.
 */
export function chatterOfDay(
  seed: number,
  svc: ScenarioService,
  channel: string,
  day: number,
  members: Person[],
  firstDay: boolean,
): SlackMessage[] {
  const rng = new Rng(seed, 'slack', svc.name, day);
  const out: SlackMessage[] = [];
  const who = () => rng.pick(members).name;
  if (firstDay && members.length) {
    const at = day * DAY + 9 * HOUR;
    const user = who();
    out.push({
      channel,
      ts: slackTs(at, 1),
      at,
      user,
      text: `Runbook for ${svc.name}: <https://wiki.acme.example/runbooks/${svc.name}|runbook>. On-call questions go here.`,
      pinned: { at: at + MINUTE, by: user },
    });
  }
  if (!members.length) return out;
  const count = rng.int(2, 5);
  for (let i = 0; i < count; i++) {
    const at =
      day * DAY + rng.int(8 * 60, 18 * 60) * MINUTE + rng.int(0, 59) * SECOND;
    const pick = rng.pick(CHATTER);
    const reactors = [who(), who()].filter((v, k, a) => a.indexOf(v) === k);
    out.push({
      channel,
      ts: slackTs(at, 100 + i),
      at,
      user: who(),
      text: pick.text(svc.name, rng.int(2, 9)),
      ...(pick.reaction
        ? { reactions: [{ name: pick.reaction, users: reactors }] }
        : {}),
    });
  }
  return out.sort((a, b) => a.at - b.at || (a.ts < b.ts ? -1 : 1));
}
