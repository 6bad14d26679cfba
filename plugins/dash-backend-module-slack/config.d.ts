export interface Config {
  dash?: {
    sources?: {
      /**
       * The Slack source of DASH: pinned and flagged messages of the channels named by the
       * `slack.com/channel-id` annotation and of the incident channels of PagerDuty incidents.
       */
      slack?: {
        /**
         * Bot token of the Slack app (`xoxb-...`), sent as `Authorization: Bearer <token>`.
         * Scopes: channels:history, groups:history, pins:read, users:read, channels:read,
         * reactions:read.
         * @visibility secret
         */
        token?: string;
        /** Slack Web API base URL. Default https://slack.com/api. */
        baseUrl?: string;
        /**
         * Where users open Slack, e.g. https://acme.slack.com: permalinks are then built without
         * a `chat.getPermalink` call per message, and the channels get an "Open in" link.
         */
        workspaceUrl?: string;
        /** Reactions (names without colons) that put a message on the timeline. Default pushpin, rotating_light. */
        reactions?: string[];
        /** History messages read per channel and fetch, newest first. Default 200. */
        maxMessagesPerChannel?: number;
        /** `limit` of one history or channel list request. Default 100 (at most 999). */
        pageSize?: number;
        /** Channels read per entity and fetch. Default 10. */
        maxChannels?: number;
        /** `users.info` calls per fetch (names are cached between fetches). Default 50. */
        maxUserLookups?: number;
        /** `chat.getPermalink` calls per fetch, without `workspaceUrl`. Default 50. */
        maxPermalinkLookups?: number;
        /** Incident channels of the entity's PagerDuty incidents (needs the PagerDuty module). */
        incidentChannels?: {
          /** Read the channel an incident's conference bridge links to. Default true. */
          fromPagerDuty?: boolean;
          /** Also find the channel by name, e.g. `inc-{number}-*` ({number}: the incident number). */
          namePattern?: string;
          /** Pages of `conversations.list` per listing. Default 10. */
          maxListPages?: number;
          /** How long a channel listing is reused. Default 15. */
          listTtlMinutes?: number;
          /** Incidents that began up to this many hours before the window keep their channel read. Default 48. */
          lookbackHours?: number;
        };
        /**
         * Channels DASH may read: ids (as the annotation names them) and, for incident channels,
         * ids or names, e.g. `['C0123ABCDEF', 'inc-*']`. `*` is a wildcard. Without a list, every
         * annotation is trusted with the token (and a warning is logged at startup).
         */
        allowedChannels?: string[];
      };
    };
  };
}
