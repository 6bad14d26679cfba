import {
  PROJECT_LIMITS,
  QuickLink,
} from '@dash-suite/plugin-project-catalog-common';
import { CatalogIndex, PAGERDUTY_SERVICE_ANNOTATION } from './CatalogIndex';
import { DiscoverySettings } from './config';
import {
  PagerDutyClient,
  PagerDutyService,
} from '../pagerduty/PagerDutyClient';
import {
  DiscoveredProject,
  DiscoveryScanner,
  clip,
  entityNameFrom,
} from './types';

/** `Payments escalation` and `Payments Escalation Policy` name the team `Payments`. */
function teamOfPolicy(summary: string): string {
  return summary.replace(/\s*(escalation(\s+policy)?|ep)\s*$/i, '').trim();
}

/**
 * PagerDuty services that no catalog entity names in `pagerduty.com/service-id` (or, when the
 * catalog uses them, `pagerduty.com/integration-key`). The owner is the catalog Group of the
 * service's first team, else of its escalation policy's name (`Payments escalation` →
 * `Payments`): by the Group's `pagerduty.com/team-id`, name, title or display name.
 */
export class PagerDutyScanner implements DiscoveryScanner {
  readonly source = 'pagerduty' as const;

  constructor(private readonly settings: DiscoverySettings) {}

  configurationProblem(): string | undefined {
    return this.settings.pagerduty.problem;
  }

  async scan(index: CatalogIndex): Promise<DiscoveredProject[]> {
    const account = this.settings.pagerduty.account!;
    const client = new PagerDutyClient(account, this.settings.timeoutMs);
    const withKeys = index.usesIntegrationKeys();
    const services = await client.services(withKeys);
    return services
      .filter(s => {
        const keys = (s.integrations ?? []).flatMap(i =>
          i.integration_key ? [i.integration_key] : [],
        );
        return !index.pagerDutyService(s.id, keys);
      })
      .map(s => this.suggestion(s, index, account.uiBaseUrl));
  }

  private suggestion(
    s: PagerDutyService,
    index: CatalogIndex,
    uiBaseUrl: string | undefined,
  ): DiscoveredProject {
    const url =
      s.html_url && /^https?:\/\//.test(s.html_url)
        ? s.html_url
        : uiBaseUrl &&
          `${uiBaseUrl}/service-directory/${encodeURIComponent(s.id)}`;
    const links: QuickLink[] = url
      ? [{ title: 'PagerDuty service', url, group: 'Operate' }]
      : [];
    const name = entityNameFrom(s.name);
    const suggestion: DiscoveredProject = {
      id: `pagerduty:${s.id}`,
      source: 'pagerduty',
      name,
      title: clip(s.name.replace(/[\r\n]+/g, ' '), PROJECT_LIMITS.titleLength),
      description: clip(s.description, PROJECT_LIMITS.descriptionLength),
      // Something pages for it: it runs.
      type: 'service',
      links,
      annotations: { [PAGERDUTY_SERVICE_ANNOTATION]: s.id },
      evidence: { type: 'a PagerDuty service pages for it' },
    };
    const team = s.teams?.find(t => t.id || t.summary);
    const byTeam = team
      ? index.groupForPagerDutyTeam({
          id: team.id ?? undefined,
          name: team.summary ?? undefined,
        })
      : undefined;
    const policy = s.escalation_policy?.summary;
    const byPolicy =
      !byTeam && policy
        ? index.groupForPagerDutyTeam({ name: teamOfPolicy(policy) })
        : undefined;
    if (byTeam) {
      suggestion.owner = byTeam;
      suggestion.evidence.owner = `PagerDuty team ${team!.summary ?? team!.id}`;
    } else if (byPolicy) {
      suggestion.owner = byPolicy;
      suggestion.evidence.owner = `escalation policy ${policy}`;
    }
    const same = index.component(name);
    if (same) suggestion.evidence.possibleMatch = same;
    return suggestion;
  }
}
