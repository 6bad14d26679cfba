import { projectCatalogDocument } from './projectCatalogDocument';

describe('projectCatalogDocument', () => {
  it('adds tags, tier and the suite annotations to the catalog document', () => {
    const doc = projectCatalogDocument({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-api',
        description: 'Authorises payments',
        labels: { tier: '1' },
        tags: ['go', 'pci'],
        annotations: {
          'github.com/project-slug': 'acme/payments-api',
          'backstage.io/managed-by-location': 'file:/x.yaml',
        },
      },
      spec: { type: 'service', owner: 'group:default/team-payments' },
    });
    expect(doc).toEqual({
      title: 'payments-api',
      text: 'Authorises payments : Tags: go pci : Tier 1 : acme/payments-api',
      componentType: 'service',
      type: 'service',
      namespace: 'default',
      kind: 'Component',
      lifecycle: '',
      owner: 'group:default/team-payments',
      tags: ['go', 'pci'],
      tier: '1',
    });
  });

  it('keeps the default document of an entity with none of them', () => {
    const doc = projectCatalogDocument({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-sre' },
      spec: { type: 'team' },
    });
    expect(doc.text).toBe('');
    expect(doc).toHaveProperty('tags', []);
    expect(doc).not.toHaveProperty('tier');
  });
});
