import { createRouteRef } from '@backstage/core-plugin-api';

/** The DASH page (`/dash` by default). */
export const rootRouteRef = createRouteRef({ id: 'dash' });
