/*
 * The Slack workspace the Slack upstream serves, read from the scenario store: channels (each
 * catalog service's own, and the incident channels the stories opened), their messages
 * (background chatter per UTC day and the stories' messages), and the users (the catalog's
 * people). Built on first use and kept: the demo has a dozen channels.
 */
import { ScenarioService } from '../../types';
import { DAY } from '../../time';
import { compare } from '../../util';
import { ScenarioStore } from '../../scenario/store';
import { Person, SlackChannel, SlackMessage } from '../../scenario/model';
import {
  ANNOTATION_SLACK_CHANNEL_ID,
  chatterOfDay,
  serviceChannel,
  slackUserId,
} from '../../scenario/slack';

export interface WorkspaceChannel extends SlackChannel {
  svc: ScenarioService;
  /** Every message (replies included), oldest first. */
  messages: SlackMessage[];
}

export class SlackWorkspace {
  private built?: Map<string, WorkspaceChannel>;
  private people?: Map<string, Person>;

  constructor(private readonly store: ScenarioStore) {}

  /** Channels by id; only the catalog scenarios have any (services annotated with a channel). */
  channels(): Map<string, WorkspaceChannel> {
    if (this.built) return this.built;
    const built = new Map<string, WorkspaceChannel>();
    if (this.store.ctx.kind === 'scale') return (this.built = built);
    const seed = this.store.ctx.seed;
    for (const svc of this.store.services) {
      if (!svc.annotations?.[ANNOTATION_SLACK_CHANNEL_ID]) continue;
      const data = this.store.data(svc.index);
      const members = this.store
        .teamOf(svc)
        .members.map(name => this.store.org.personByName.get(name))
        .filter((p): p is Person => Boolean(p));
      const own = serviceChannel(
        svc,
        this.store.from,
        members[0]?.name ?? 'unknown',
      );
      const firstDay = Math.floor(this.store.from / DAY);
      const lastDay = Math.floor(this.store.ctx.anchor / DAY);
      const chatter: SlackMessage[] = [];
      for (let day = firstDay; day <= lastDay; day++) {
        chatter.push(
          ...chatterOfDay(seed, svc, own.id, day, members, day === firstDay),
        );
      }
      const ofChannel = (id: string) =>
        data.slackMessages.filter(m => m.channel === id);
      const ownMessages = [...chatter, ...ofChannel(own.id)].filter(
        m => m.at >= this.store.from,
      );
      built.set(own.id, { ...own, svc, messages: sortMessages(ownMessages) });
      for (const channel of data.slackChannels) {
        built.set(channel.id, {
          ...channel,
          svc,
          messages: sortMessages(ofChannel(channel.id)),
        });
      }
    }
    return (this.built = built);
  }

  /** Users by Slack id. */
  users(): Map<string, Person> {
    if (!this.people) {
      this.people = new Map(
        this.store.org.persons.map(p => [slackUserId(p.name), p]),
      );
    }
    return this.people;
  }
}

function sortMessages(messages: SlackMessage[]): SlackMessage[] {
  return messages.sort((a, b) => a.at - b.at || compare(a.ts, b.ts));
}
