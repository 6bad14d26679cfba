import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import dashPlugin, {
  dashApi,
  dashEntityContent,
  dashPage,
  dashSearchResultListItem,
  dashSearchResultType,
} from './alpha';
import { dashApiRef } from './api';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', annotations },
});

describe('dash plugin (new frontend system)', () => {
  it('is a plugin with the API, the entity tab and the page', () => {
    expect(dashPlugin.pluginId).toBe('dash');
    expect(dashPlugin.getExtension('api:dash')).toBeDefined();
    expect(dashPlugin.getExtension('entity-content:dash')).toBeDefined();
    expect(dashPlugin.getExtension('page:dash')).toBeDefined();
  });

  it('offers the DASH tab only on entities with a source annotation', () => {
    const tester = createExtensionTester(dashEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('DASH');
    expect(tester.get(coreExtensionData.routePath)).toBe('dash');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity({ 'pagerduty.com/service-id': 'PPAYAPI' }))).toBe(
      true,
    );
    expect(
      filter(entity({ 'grafana/alert-label-selector': 'service=a' })),
    ).toBe(true);
    expect(filter(entity({ 'backstage.io/techdocs-ref': 'dir:.' }))).toBe(
      false,
    );
    expect(filter(entity())).toBe(false);
  });

  it('mounts the page at /dash and provides the client', () => {
    expect(
      createExtensionTester(dashPage).get(coreExtensionData.routePath),
    ).toBe('/dash');
    const factory = createExtensionTester(dashApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(dashApiRef.id);
  });

  it('renders dash search results and offers DASH among the result types', () => {
    expect(
      dashPlugin.getExtension('search-result-list-item:dash'),
    ).toBeDefined();
    const item = createExtensionTester(dashSearchResultListItem).get(
      SearchResultListItemBlueprint.dataRefs.item,
    );
    const result = (type: string) => ({
      type,
      document: { title: 't', text: '', location: '/' },
    });
    expect(item.predicate?.(result('dash'))).toBe(true);
    expect(item.predicate?.(result('software-catalog'))).toBe(false);
    const type = createExtensionTester(dashSearchResultType).get(
      SearchFilterResultTypeBlueprint.dataRefs.resultType,
    );
    expect(type).toMatchObject({ value: 'dash', name: 'DASH' });
  });
});
