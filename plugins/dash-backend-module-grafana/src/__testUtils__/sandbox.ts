import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { createTestSourceContext } from '@dash-suite/plugin-dash-node/testUtils';
import { ScenarioService, serviceEntity } from '@dash-suite/upstream-sandbox';

/** The shared guard stand-in, with a mock logger, in the shape these tests use. */
export function testCaller(timeoutMs = 3000) {
  const context = createTestSourceContext({
    timeoutMs,
    logger: mockServices.logger.mock(),
  });
  const { upstream, logger } = context;
  return {
    upstream,
    logger,
    observed: upstream.observed,
    names: upstream.calls,
    context,
  };
}

/** The catalog entity of a sandbox scenario service. */
export const entityOf = (service: ScenarioService): Entity =>
  serviceEntity(service);
