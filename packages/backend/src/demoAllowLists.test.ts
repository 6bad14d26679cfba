import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { GithubSource } from '@dash-suite/plugin-dash-backend-module-github';
import { GrafanaSource } from '@dash-suite/plugin-dash-backend-module-grafana';
import { KibanaSource } from '@dash-suite/plugin-dash-backend-module-kibana';
import { PagerDutySource } from '@dash-suite/plugin-dash-backend-module-pagerduty';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The demo runs with the safe setup: app-config.yaml gives every DASH source an allow-list, the
 * lists cover every demo component, and no source warns that it trusts every annotation.
 */
const repo = path.resolve(__dirname, '../../..');

function demoComponents(): Entity[] {
  const root = path.join(repo, 'catalog-info');
  const location = parseAllDocuments(
    fs.readFileSync(path.join(root, 'all.yaml'), 'utf8'),
  )[0].toJSON();
  return (location.spec.targets as string[])
    .flatMap(target =>
      parseAllDocuments(fs.readFileSync(path.join(root, target), 'utf8')).map(
        d => d.toJSON() as Entity,
      ),
    )
    .filter(e => e.kind === 'Component');
}

describe('the demo config (app-config.yaml)', () => {
  const config = new ConfigReader(
    parse(fs.readFileSync(path.join(repo, 'app-config.yaml'), 'utf8')),
  );
  const logger = mockServices.logger.mock();
  const sources = [
    GithubSource.fromConfig(config, { logger }),
    PagerDutySource.fromConfig(config, logger),
    GrafanaSource.fromConfig(config, logger),
    KibanaSource.fromConfig(config, { logger }),
  ];
  afterAll(async () => {
    await (sources[3] as KibanaSource).close();
  });

  it('gives every source an allow-list, so that none warns at startup', () => {
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('allows every demo component that a source applies to', () => {
    const components = demoComponents();
    const checked: string[] = [];
    for (const entity of components) {
      for (const source of sources) {
        if (!source.appliesTo(entity)) continue;
        checked.push(`${source.id}:${entity.metadata.name}`);
        expect({
          entity: entity.metadata.name,
          source: source.id,
          problem:
            source.configurationProblem(entity) ?? source.accessProblem(entity),
        }).toEqual({
          entity: entity.metadata.name,
          source: source.id,
          problem: undefined,
        });
      }
    }
    // The demo's eight services on four sources, and its tools and libraries on GitHub.
    expect(checked.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses an entity that points a source elsewhere', () => {
    const sneaky: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'sneaky',
        annotations: {
          'github.com/project-slug': 'victim/private-repo',
          'pagerduty.com/service-id': 'PSECRET',
          'grafana/dashboard-selector': "tags @> 'hr-salaries'",
          'kibana/index-pattern': 'logs-hr-*',
        },
      },
      spec: { type: 'service', owner: 'group:team-payments' },
    };
    expect(sources.map(s => [s.id, Boolean(s.accessProblem(sneaky))])).toEqual([
      ['github', true],
      ['pagerduty', true],
      ['grafana', true],
      ['kibana', true],
    ]);
  });
});
