import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  parseEntityRef,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The demo catalog is data the sandbox, the demo and the e2e tests rely on: these tests keep it
 * valid (by the catalog's own policies) and keep every relation pointing at an entity that exists.
 */
const root = path.resolve(__dirname, '../../../catalog-info');

function loadAll(): Entity[] {
  const location = parseAllDocuments(
    fs.readFileSync(path.join(root, 'all.yaml'), 'utf8'),
  )[0].toJSON();
  return (location.spec.targets as string[]).flatMap(target =>
    parseAllDocuments(fs.readFileSync(path.join(root, target), 'utf8')).map(
      d => d.toJSON() as Entity,
    ),
  );
}

const entities = loadAll();
const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
const ofKind = (kind: string) => entities.filter(e => e.kind === kind);

describe('catalog-info (demo organisation)', () => {
  it('is valid by the catalog model policies and kind validators', async () => {
    const policy = EntityPolicies.allOf([
      new DefaultNamespaceEntityPolicy(),
      new NoForeignRootFieldsEntityPolicy(),
      new FieldFormatEntityPolicy(),
      new SchemaValidEntityPolicy(),
    ]);
    const validators = [
      componentEntityV1alpha1Validator,
      domainEntityV1alpha1Validator,
      groupEntityV1alpha1Validator,
      locationEntityV1alpha1Validator,
      systemEntityV1alpha1Validator,
      userEntityV1alpha1Validator,
    ];
    for (const entity of entities) {
      await expect(policy.enforce(entity)).resolves.toBeDefined();
      const results = await Promise.all(validators.map(v => v.check(entity)));
      expect({
        ref: stringifyEntityRef(entity),
        valid: results.includes(true),
      }).toEqual({
        ref: stringifyEntityRef(entity),
        valid: true,
      });
    }
  });

  it('has no duplicate entities', () => {
    expect(byRef.size).toBe(entities.length);
  });

  it('has at least 3 teams with users, 2 systems and 10 components of every type', () => {
    const teams = ofKind('Group').filter(g => g.spec?.type === 'team');
    expect(teams.length).toBeGreaterThanOrEqual(3);
    for (const team of teams) {
      const members = ofKind('User').filter(u =>
        (u.spec?.memberOf as string[]).includes(team.metadata.name),
      );
      expect(members.length).toBeGreaterThan(0);
    }
    expect(ofKind('System').length).toBeGreaterThanOrEqual(2);
    const components = ofKind('Component');
    expect(components.length).toBeGreaterThanOrEqual(10);
    for (const type of ['service', 'tool', 'library']) {
      expect(components.some(c => c.spec?.type === type)).toBe(true);
    }
  });

  it('points every owner, system, parent, member and dependsOn at an entity that exists', () => {
    const refs: Array<[string, string, string]> = [];
    for (const e of entities) {
      const from = stringifyEntityRef(e);
      const spec = (e.spec ?? {}) as Record<string, any>;
      if (spec.owner) refs.push([from, spec.owner, 'group']);
      if (spec.system) refs.push([from, spec.system, 'system']);
      if (spec.domain) refs.push([from, spec.domain, 'domain']);
      if (spec.parent) refs.push([from, spec.parent, 'group']);
      for (const g of spec.memberOf ?? []) refs.push([from, g, 'group']);
      for (const c of spec.children ?? []) refs.push([from, c, 'group']);
      for (const d of spec.dependsOn ?? []) refs.push([from, d, 'component']);
    }
    const missing = refs.filter(
      ([, ref, kind]) =>
        !byRef.has(
          stringifyEntityRef(parseEntityRef(ref, { defaultKind: kind })),
        ),
    );
    expect(missing).toEqual([]);
  });

  it('has dependsOn relations and the annotations every upstream needs on services', () => {
    const services = ofKind('Component').filter(c =>
      ['service', 'website'].includes(c.spec?.type as string),
    );
    expect(services.some(s => (s.spec?.dependsOn as string[])?.length)).toBe(
      true,
    );
    for (const s of services) {
      const a = s.metadata.annotations ?? {};
      expect(Object.keys(a)).toEqual(
        expect.arrayContaining([
          'pagerduty.com/service-id',
          'github.com/project-slug',
          'grafana/dashboard-selector',
          'grafana/alert-label-selector',
          'kibana/index-pattern',
          'kibana/log-query',
          'kibana/data-view-id',
        ]),
      );
      expect(a['github.com/project-slug']).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(a['pagerduty.com/service-id']).toMatch(/^P[A-Z0-9]{6}$/);
    }
  });

  it('gives the guest sign-in a user entity with a team', () => {
    const guest = byRef.get('user:default/guest');
    expect(guest?.spec?.memberOf).toEqual(
      expect.arrayContaining([expect.any(String)]),
    );
  });
});
