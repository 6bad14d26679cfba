/* The DASH-backed cards' extensions in both frontend systems (kept beside their helpers). */
import { Entity } from '@backstage/catalog-model';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, {
  alertsCard,
  deploysCard,
  doraCard,
  onCallCard,
} from '../../alpha';
import {
  EntityAlertsCard,
  EntityDeploysCard,
  EntityDoraCard,
  EntityOnCallCard,
} from '../../index';

const entity = (
  kind: string,
  annotations?: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'payments-api', annotations },
});

describe('DASH-backed cards', () => {
  it('are extensions of the plugin', () => {
    expect(
      plugin.getExtension('entity-card:project-catalog/on-call'),
    ).toBeDefined();
    expect(
      plugin.getExtension('entity-card:project-catalog/deploys'),
    ).toBeDefined();
    expect(
      plugin.getExtension('entity-card:project-catalog/alerts'),
    ).toBeDefined();
    expect(
      plugin.getExtension('entity-card:project-catalog/dora'),
    ).toBeDefined();
  });

  it('show on Components with a DASH source annotation', () => {
    const { filterFunction } = EntityCardBlueprint.dataRefs;
    const filters = [
      createExtensionTester(onCallCard).get(filterFunction),
      createExtensionTester(deploysCard).get(filterFunction),
      createExtensionTester(alertsCard).get(filterFunction),
      createExtensionTester(doraCard).get(filterFunction),
    ];
    for (const filter of filters) {
      expect(
        filter!(entity('Component', { 'pagerduty.com/service-id': 'P1' })),
      ).toBe(true);
      expect(
        filter!(entity('Component', { 'github.com/project-slug': 'a/b' })),
      ).toBe(true);
      expect(filter!(entity('Component'))).toBe(false);
      expect(
        filter!(entity('System', { 'pagerduty.com/service-id': 'P1' })),
      ).toBe(false);
    }
  });

  it('exports the legacy components from the package root', () => {
    for (const card of [
      EntityOnCallCard,
      EntityDeploysCard,
      EntityAlertsCard,
      EntityDoraCard,
    ]) {
      expect(card).toBeDefined();
    }
  });
});
