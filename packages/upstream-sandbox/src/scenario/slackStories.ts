/*
 * The Slack side of the demo's stories: what the team wrote while the payments deploy went bad
 * (a :rotating_light: message with a thread when the error rate climbs, the incident channel
 * linked from the PagerDuty incident, "rolling back v2.14.0" pinned), and the cart-service
 * incident channel that nobody linked to its incident (found by its name only).
 */
import { MINUTE, SECOND } from '../time';
import { PdIncident, SlackMessage } from './model';
import { onCallAt } from './org';
import {
  archiveUrl,
  incidentChannelId,
  mention,
  serviceChannelId,
  slackTs,
} from './slack';
import { Found, StoryWorld } from './storyKit';

/** Messages of a story get ts counters from here on (the background uses 1..199). */
const STORY_TS_BASE = 500;

function writer(found: Found) {
  let n = STORY_TS_BASE;
  return (m: Omit<SlackMessage, 'ts'> & { ts?: string }): SlackMessage => {
    const message: SlackMessage = { ts: slackTs(m.at, n++), ...m };
    found.st.data.slackMessages.push(message);
    return message;
  };
}

/** Opens the incident channel `inc-<number>-<service>`, linked from the incident when `link`. */
function openIncidentChannel(
  found: Found,
  incident: PdIncident,
  at: number,
  creator: string,
  link: boolean,
): string {
  const id = incidentChannelId(incident.id);
  found.st.data.slackChannels.push({
    id,
    name: `inc-${incident.number}-${found.svc.name}`,
    createdAt: at,
    creator,
    purpose: `Incident #${incident.number}: ${incident.title}`,
  });
  if (link) incident.chatUrl = archiveUrl(id);
  return id;
}

/** payments-api, v2.14.0: T is the production deploy. */
export function paymentsSlack(
  world: StoryWorld,
  found: Found,
  opts: {
    T: number;
    incident: PdIncident;
    releaser: string;
    author: string;
    primary: string;
    previousTag: string;
  },
): void {
  const { T, incident, releaser, author, primary, previousTag } = opts;
  const sre =
    onCallAt(world.ctx.org.sreTeam, world.ctx.seed, T + 18 * MINUTE) ?? author;
  const write = writer(found);
  const own = serviceChannelId(found.svc);
  write({
    channel: own,
    at: T + 1 * MINUTE,
    user: releaser,
    text: 'Deploying payments-api v2.14.0 to production :rocket:',
  });
  const alarm = write({
    channel: own,
    at: T + 8 * MINUTE,
    user: author,
    text: `:rotating_light: 5xx rate on POST /v1/payments is climbing since the v2.14.0 deploy (23% and rising), see <https://grafana.acme.example/d/payments-overview|the overview dashboard> <!here> ${mention(
      primary,
    )}`,
    reactions: [
      {
        name: 'rotating_light',
        users: [...new Set([author, releaser, primary])],
      },
    ],
  });
  write({
    channel: own,
    at: T + 9 * MINUTE,
    user: releaser,
    threadTs: alarm.ts,
    text: 'Seeing `vault: tokenize card: context deadline exceeded` all over the logs',
  });
  const channel = openIncidentChannel(
    found,
    incident,
    incident.createdAt + 40 * SECOND,
    primary,
    true,
  );
  write({
    channel: own,
    at: T + 11 * MINUTE,
    user: primary,
    threadTs: alarm.ts,
    text: `Paged, I'm on it. Incident channel: <#${channel}|inc-${incident.number}-payments-api>`,
  });
  write({
    channel,
    at: T + 12 * MINUTE,
    user: primary,
    text: `Acknowledged #${
      incident.number
    }. Looking at the v2 vault client timeouts, ${mention(
      author,
    )} can you join?`,
  });
  write({
    channel,
    at: T + 19 * MINUTE,
    user: sre,
    text: `SRE here. Vault itself is healthy; the v2 client opens a connection per call under production load. I'd roll back.`,
    reactions: [{ name: '+1', users: [primary, author] }],
  });
  write({
    channel,
    at: T + 34 * MINUTE,
    user: primary,
    text: `Rolling back v2.14.0 to ${previousTag} now`,
    pinned: { at: T + 34 * MINUTE + 20 * SECOND, by: primary },
  });
  write({
    channel,
    at: T + 43 * MINUTE,
    user: primary,
    text: 'Error rate back to normal after the rollback, resolving the incident. Postmortem doc to follow.',
    reactions: [{ name: 'white_check_mark', users: [sre, author] }],
  });
}

/** cart-service, dependency outage: an incident channel that the incident does not link. */
export function cartSlack(
  found: Found,
  opts: { incident: PdIncident; responder: string; U: number },
): void {
  const { incident, responder, U } = opts;
  const write = writer(found);
  const channel = openIncidentChannel(
    found,
    incident,
    U + 2 * MINUTE,
    responder,
    false,
  );
  write({
    channel,
    at: U + 30 * MINUTE,
    user: responder,
    text: 'Cause: inventory-service DB pool was cut to 5 by a config change; restoring to 50',
    pinned: { at: U + 31 * MINUTE, by: responder },
  });
}
