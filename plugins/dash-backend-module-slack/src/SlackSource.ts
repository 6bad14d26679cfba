import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PAGERDUTY_SERVICE_ID,
  ANNOTATION_SLACK_CHANNEL_ID,
} from '@dash-suite/plugin-dash-common';
import {
  DeepLink,
  FetchEventsRequest,
  FetchEventsResult,
  SignalSource,
  SourceContext,
  UpstreamError,
  safeLink,
  warnWithoutAllowList,
} from '@dash-suite/plugin-dash-node';
import { ChannelRef, parseChannelIds } from './channels';
import { CONFIG_ROOT, SlackSettings, readSlackSettings } from './config';
import { SOURCE_ID } from './normalize';
import { readTimeline } from './readTimeline';
import { SlackClient } from './SlackClient';

/**
 * Slack as a DASH source: the pinned messages and the messages carrying a configured reaction
 * in the service's channels (`slack.com/channel-id`) and in the incident channels of its
 * PagerDuty incidents. Full channel history is never mirrored.
 */
export class SlackSource implements SignalSource {
  readonly id = SOURCE_ID;
  readonly title = 'Slack';
  private readonly client?: SlackClient;

  static fromConfig(config: Config, logger: LoggerService): SlackSource {
    return new SlackSource(readSlackSettings(config), logger);
  }

  constructor(private readonly settings: SlackSettings, logger: LoggerService) {
    if (settings.token) {
      this.client = new SlackClient({
        token: settings.token,
        baseUrl: settings.baseUrl,
      });
      if (!settings.allowedChannels) {
        warnWithoutAllowList(
          logger,
          'Slack',
          ANNOTATION_SLACK_CHANNEL_ID,
          `${CONFIG_ROOT}.allowedChannels`,
        );
      }
    } else if (settings.problem && !/token is missing/.test(settings.problem)) {
      logger.warn(`Slack source is not usable: ${settings.problem}`);
    }
  }

  /** With a channel annotation, or (incident channels) a PagerDuty service. */
  appliesTo(entity: Entity): boolean {
    const a = entity.metadata.annotations ?? {};
    return Boolean(
      a[ANNOTATION_SLACK_CHANNEL_ID]?.trim() ||
        (this.settings.incidentChannels.fromPagerDuty &&
          a[ANNOTATION_PAGERDUTY_SERVICE_ID]?.trim()),
    );
  }

  configurationProblem(entity: Entity): string | undefined {
    if (!this.client) {
      return `Slack is not configured: ${
        this.settings.problem ?? `${CONFIG_ROOT}.token is missing`
      }`;
    }
    const { bad } = this.annotated(entity);
    if (bad.length) {
      return `The ${ANNOTATION_SLACK_CHANNEL_ID} annotation names '${bad[0].slice(
        0,
        40,
      )}', which is not a Slack channel id (like C0123ABCDEF; names are not accepted)`;
    }
    return undefined;
  }

  /** `not-allowed` for an annotated channel outside `allowedChannels`. */
  accessProblem(entity: Entity): string | undefined {
    const allow = this.settings.allowedChannels;
    if (!allow) return undefined;
    const denied = this.annotated(entity).ids.find(id => !allow.allows(id));
    return denied
      ? `Slack channel ${denied} is not in ${CONFIG_ROOT}.allowedChannels, the channels DASH may read`
      : undefined;
  }

  private annotated(entity: Entity): { ids: string[]; bad: string[] } {
    const value = entity.metadata.annotations?.[ANNOTATION_SLACK_CHANNEL_ID];
    return value ? parseChannelIds(value) : { ids: [], bad: [] };
  }

  /** Incident channels: allowed by id or name when there is a list. */
  private allowed = (channel: ChannelRef): boolean => {
    const allow = this.settings.allowedChannels;
    return (
      !allow ||
      allow.allows(channel.id) ||
      Boolean(channel.name && allow.allows(channel.name))
    );
  };

  async fetchEvents(
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<FetchEventsResult> {
    const problem = this.configurationProblem(request.entity);
    if (problem || !this.client) {
      throw new UpstreamError(
        'not-configured',
        problem ?? 'Slack is not configured',
      );
    }
    const denied = this.accessProblem(request.entity);
    if (denied) throw new UpstreamError('not-allowed', denied);
    const annotated: ChannelRef[] = this.annotated(request.entity).ids.map(
      id => ({ id, via: 'annotation' }),
    );
    return readTimeline(
      {
        client: this.client,
        settings: this.settings,
        upstream: context.upstream,
        logger: context.logger,
        entityRef: request.entityRef,
      },
      annotated,
      this.allowed,
      request,
      context,
    );
  }

  /** The annotated channels in Slack, when `workspaceUrl` is configured. */
  getDeepLinks(entity: Entity): DeepLink[] {
    const workspace = this.settings.workspaceUrl;
    if (!workspace || this.configurationProblem(entity)) return [];
    if (this.accessProblem(entity)) return [];
    return this.annotated(entity).ids.flatMap(id => {
      const url = safeLink(`${workspace}/archives/${id}`);
      return url ? [{ title: `Slack channel ${id}`, url }] : [];
    });
  }
}
