/*
 * PagerDuty services beyond the catalog's, and every service's Events API v2 integration. The
 * catalog scenarios' account also has a few services that no catalog entity names (what a
 * discovery job should find); they use their team's escalation policy and have no history until
 * an event is sent to them. Every service gets one Events API v2 integration whose id and key
 * (the `routing_key` of POST /v2/enqueue) follow from (seed, service id, index).
 */
import {
  ScenarioPagerDuty,
  ScenarioPagerDutyService,
  ScenarioService,
} from '../types';
import { Rng, hashParts } from '../random';
import { Org } from './org';

export interface UnownedPdServiceDef {
  id: string;
  name: string;
  description: string;
  /** Catalog group name of the team whose escalation policy it uses. */
  team: string;
}

export const UNOWNED_PD_SERVICES: readonly UnownedPdServiceDef[] = [
  {
    id: 'PLEGACY',
    name: 'legacy-billing',
    description:
      'The invoicing system before payments-api; pages on reconciliation failures.',
    team: 'team-payments',
  },
  {
    id: 'PDATAPL',
    name: 'data-pipeline',
    description: 'Nightly loads of the data warehouse.',
    team: 'team-platform',
  },
  {
    id: 'PCORPVP',
    name: 'corp-vpn',
    description: 'The VPN gateways of the offices.',
    team: 'team-sre',
  },
];

/**
 * The services no catalog entity names, as stand-in services placed after the catalog's (index
 * n, n+1, ...). They are never part of `scenario.services`; `entityRef` is empty.
 */
export function unownedPdServices(
  catalog: ScenarioService[],
  org: Org,
): ScenarioService[] {
  const taken = new Set(catalog.map(s => s.pagerdutyServiceId));
  const names = new Set(catalog.map(s => s.name));
  return UNOWNED_PD_SERVICES.filter(
    d => !taken.has(d.id) && !names.has(d.name),
  ).map((d, i) => ({
    index: catalog.length + i,
    name: d.name,
    entityRef: '',
    type: 'service',
    description: d.description,
    tags: [],
    owner: `group:default/${
      org.teamByName.has(d.team) ? d.team : org.teams[0]?.name ?? 'unknown'
    }`,
    dependsOn: [],
    pagerdutyServiceId: d.id,
    annotations: {},
  }));
}

/**
 * A service's Events API v2 integration key: 24 hex characters drawn from (seed, service id),
 * then 8 that carry the service's index (xor a hash of the first 24), so that a key leads to its
 * service without a table (the scale scenario has 10,000).
 */
export function integrationKey(
  seed: number,
  pdId: string,
  index: number,
): string {
  const head = new Rng(seed, 'pd-routing-key', pdId).hex(24);
  const tail = ((index ^ hashParts(head)) >>> 0).toString(16).padStart(8, '0');
  return head + tail;
}

/** The service index an integration key carries (to be checked against integrationKey()). */
export function indexOfIntegrationKey(key: string): number | undefined {
  if (!/^[0-9a-f]{32}$/.test(key)) return undefined;
  return (parseInt(key.slice(24), 16) ^ hashParts(key.slice(0, 24))) >>> 0;
}

/** One service's ground truth. */
export function pdServiceTruth(
  svc: ScenarioService,
  opts: {
    seed: number;
    inCatalog: boolean;
    team: string;
    integrationId: string;
  },
): ScenarioPagerDutyService {
  return {
    id: svc.pagerdutyServiceId!,
    name: svc.name,
    inCatalog: opts.inCatalog,
    ...(opts.inCatalog ? { entityRef: svc.entityRef } : {}),
    team: opts.team,
    integrationId: opts.integrationId,
    integrationKey: integrationKey(
      opts.seed,
      svc.pagerdutyServiceId!,
      svc.index,
    ),
  };
}

/** 'scale': the integration id follows from the service id (unique for 10,000 services). */
export function scaleIntegrationId(pdId: string): string {
  return `PI${pdId.slice(-5)}`;
}

/**
 * The PagerDuty ground truth of the catalog scenarios: every service with a PagerDuty id, the
 * catalog's first. Integration ids are drawn from (seed, service id).
 */
export function pagerDutyGroundTruth(
  services: ScenarioService[],
  catalogCount: number,
  seed: number,
  teamOf: (svc: ScenarioService) => string,
): ScenarioPagerDuty {
  const ids = new Set<string>();
  const out: ScenarioPagerDutyService[] = [];
  for (const svc of services) {
    const id = svc.pagerdutyServiceId;
    if (!id) continue;
    const rng = new Rng(seed, 'pd-integration', id);
    let integrationId = `P${rng.alnum(6)}`;
    while (ids.has(integrationId)) integrationId = `P${rng.alnum(6)}`;
    ids.add(integrationId);
    out.push(
      pdServiceTruth(svc, {
        seed,
        inCatalog: svc.index < catalogCount,
        team: teamOf(svc),
        integrationId,
      }),
    );
  }
  return { services: out };
}
