import {
  AnyParams,
  RouteFunc,
  RouteRef,
  SubRouteRef,
  useRouteRef,
} from '@backstage/core-plugin-api';

/**
 * The link function of a route or sub-route, or undefined when the app has not mounted it, so
 * that a card links to a page only when the app has that page.
 *
 * `useRouteRef` of `@backstage/core-plugin-api` (1.12) throws `No path for <ref>` for a route ref
 * that is not optional and not mounted, in the legacy and the new frontend system alike; only
 * external route refs can be optional. Its hooks all run before it throws, so catching the error
 * keeps the order of hooks the same on every render.
 */
export function useOptionalRouteRef<Params extends AnyParams>(
  routeRef: RouteRef<Params> | SubRouteRef<Params>,
): RouteFunc<Params> | undefined {
  try {
    return useRouteRef(routeRef);
  } catch {
    return undefined;
  }
}
