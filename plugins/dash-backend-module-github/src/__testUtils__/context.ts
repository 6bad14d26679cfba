import { mockServices } from '@backstage/backend-test-utils';
import {
  createTestSourceContext,
  testComponent,
} from '@dash-suite/plugin-dash-node/testUtils';

/** The shared guard stand-in, with a mock logger. */
export const testContext = (timeoutMs = 5000) =>
  createTestSourceContext({ timeoutMs, logger: mockServices.logger.mock() });

export const component = (name: string, annotations: Record<string, string>) =>
  testComponent(name, annotations);
