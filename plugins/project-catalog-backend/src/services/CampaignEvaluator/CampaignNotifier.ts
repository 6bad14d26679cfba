import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  CAMPAIGN_NOTIFICATION_TOPICS,
  isCampaignFinished,
} from '@dash-suite/plugin-project-catalog-common';
import { createHash } from 'node:crypto';
import {
  CampaignStatusStore,
  notificationKey,
} from '../CampaignStore/CampaignStatusStore';
import {
  NotificationClaim,
  StoredCampaign,
  StoredStatus,
} from '../CampaignStore/types';
import { entityPagePath } from '../ProjectService/DeprecationNotifier';
import { ownerRefs } from './scope';
import { isRegression } from './statusRules';

type Kind = NotificationClaim['kind'];

interface Due {
  claim: NotificationClaim;
  owners: string[];
  status: StoredStatus;
  /** False: recorded as sent without sending (the entity was already done at the start). */
  send: boolean;
}

/** The campaign's page in the app. */
export const campaignPagePath = (id: string) =>
  `/project-catalog/campaigns/${encodeURIComponent(id)}`;

const MAX_LISTED = 10;

/**
 * Tells owners, through Backstage notifications, when a campaign starts for their entity, a week
 * (`deadlineWarningDays`) before the deadline while it is not done, and when a done entity
 * regresses. Each notification is recorded in the database before it is sent, so that it is
 * sent once across runs and replicas; one that could not be sent is forgotten and tried again.
 * Entities of the same owners are told in one notification per kind.
 */
export class CampaignNotifier {
  constructor(
    private readonly deps: {
      statuses: CampaignStatusStore;
      notifications: NotificationService;
      logger: LoggerService;
      deadlineWarningMs: number;
      enabled: boolean;
    },
  ) {}

  async notify(
    campaign: StoredCampaign,
    entities: Map<string, Entity>,
    previous: Map<string, StoredStatus>,
    next: StoredStatus[],
    nowMs: number,
  ): Promise<number> {
    if (!this.deps.enabled || nowMs < campaign.startsMs) return 0;
    const sent = await this.deps.statuses.sentNotifications(campaign.id);
    const due: Due[] = [];
    const add = (s: StoredStatus, kind: Kind, key: string, send: boolean) => {
      const claim = {
        campaignId: campaign.id,
        entityRef: s.entityRef,
        kind,
        key,
      };
      if (sent.has(notificationKey(claim))) return;
      const entity = entities.get(s.entityRef);
      const owners = entity ? ownerRefs(entity) : [];
      due.push({ claim, owners, status: s, send: send && owners.length > 0 });
    };
    const warnFrom = campaign.deadlineMs - this.deps.deadlineWarningMs;
    for (const s of next) {
      const finished = isCampaignFinished(s.status);
      add(s, 'started', '', !finished);
      if (!finished && nowMs >= warnFrom && nowMs < campaign.deadlineMs) {
        add(s, 'deadline', String(campaign.deadlineMs), true);
      }
      const before = previous.get(s.entityRef);
      if (isRegression(before, s)) {
        add(
          s,
          'regressed',
          String(before!.doneSinceMs ?? before!.changedMs),
          true,
        );
      }
    }

    const groups = new Map<string, Due[]>();
    for (const d of due) {
      if (!(await this.deps.statuses.claimNotification(d.claim, nowMs)))
        continue;
      if (!d.send) continue;
      const key = `${d.claim.kind} ${[...d.owners].sort().join(',')}`;
      groups.set(key, [...(groups.get(key) ?? []), d]);
    }
    let count = 0;
    for (const group of groups.values()) {
      try {
        await this.send(campaign, group);
        count++;
      } catch (error) {
        this.deps.logger.warn(
          `Could not notify the owners of ${group.length} entities of campaign ${campaign.id}: ${error}`,
        );
        await this.deps.statuses
          .releaseNotifications(group.map(d => d.claim))
          .catch(() => undefined);
      }
    }
    return count;
  }

  private async send(campaign: StoredCampaign, group: Due[]): Promise<void> {
    const kind = group[0].claim.kind;
    const refs = group.map(d => d.status.entityRef);
    const names = refs.map(r => parseEntityRef(r).name);
    const subject =
      names.length === 1 ? names[0] : `${names.length} of your entities`;
    const listed =
      names.length > 1
        ? ` (${names.slice(0, MAX_LISTED).join(', ')}${
            names.length > MAX_LISTED
              ? `, and ${names.length - MAX_LISTED} more`
              : ''
          })`
        : '';
    const deadline = new Date(campaign.deadlineMs).toISOString().slice(0, 10);
    const detail =
      group.length === 1 && group[0].status.detail
        ? ` Now: ${group[0].status.detail}.`
        : '';
    const text: Record<Kind, { title: string; description: string }> = {
      started: {
        title: `Campaign "${campaign.title}" started for ${subject}`,
        description: `Please get ${subject}${listed} done by ${deadline}.${detail}${
          campaign.description ? ` ${campaign.description}` : ''
        }`,
      },
      deadline: {
        title: `Campaign "${campaign.title}": ${subject} not done, deadline ${deadline}`,
        description: `The deadline of "${
          campaign.title
        }" is ${deadline} and ${subject}${listed} ${
          names.length === 1 ? 'is' : 'are'
        } not done yet.${detail}`,
      },
      regressed: {
        title: `Campaign "${campaign.title}": ${subject} no longer done`,
        description: `${subject}${listed} ${
          names.length === 1 ? 'was' : 'were'
        } done in "${campaign.title}" and no longer ${
          names.length === 1 ? 'is' : 'are'
        }.${detail}`,
      },
    };
    await this.deps.notifications.send({
      recipients: { type: 'entity', entityRef: group[0].owners },
      payload: {
        ...text[kind],
        link:
          refs.length === 1
            ? entityPagePath(refs[0])
            : campaignPagePath(campaign.id),
        severity: kind === 'started' ? 'normal' : 'high',
        topic: CAMPAIGN_NOTIFICATION_TOPICS[kind],
        scope: `project-catalog.campaign:${campaign.id}:${kind}:${createHash(
          'sha1',
        )
          .update(
            group.map(d => `${d.claim.entityRef}|${d.claim.key}`).join(','),
          )
          .digest('hex')
          .slice(0, 16)}`,
      },
    });
  }
}
