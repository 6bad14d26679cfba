import { AllowList } from '@dash-suite/plugin-dash-node';
import { LabelMatcher, SelectorNode, positiveTags } from './selector';

/**
 * Whether every dashboard the selector can match carries a tag of the list: an `&&` when one
 * side does, an `||` when both do, `tags @> 'x'` when `x` is allowed, nothing under a `!`.
 */
function guaranteesAllowedTag(node: SelectorNode, allow: AllowList): boolean {
  switch (node.type) {
    case 'and':
      return (
        guaranteesAllowedTag(node.left, allow) ||
        guaranteesAllowedTag(node.right, allow)
      );
    case 'or':
      return (
        guaranteesAllowedTag(node.left, allow) &&
        guaranteesAllowedTag(node.right, allow)
      );
    case 'compare':
      return (
        node.op === '@>' &&
        node.left.kind === 'variable' &&
        node.left.name === 'tags' &&
        node.right.kind === 'string' &&
        allow.allows(node.right.value)
      );
    default:
      return false;
  }
}

/**
 * Why a dashboard selector reaches outside `allow.tags`, or undefined: every tag it asks for
 * (those are also read as organisation annotations) must be allowed, and every dashboard it can
 * match must carry an allowed tag (so that `title == 'x'` cannot reach any dashboard).
 */
export function selectorAccessProblem(
  selector: SelectorNode,
  allow: AllowList,
  key: string,
): string | undefined {
  const outside = positiveTags(selector).filter(t => !allow.allows(t));
  if (outside.length) {
    return `The grafana/dashboard-selector asks for tag${
      outside.length > 1 ? 's' : ''
    } ${outside
      .map(t => `'${t}'`)
      .join(', ')}, not in ${key}, the tags DASH may read`;
  }
  if (!guaranteesAllowedTag(selector, allow)) {
    return `The grafana/dashboard-selector can match dashboards without a tag of ${key}: require one of those tags (tags @> '...')`;
  }
  return undefined;
}

/** Why an alert label selector reaches outside `allow.alertLabels` (`label=value` patterns). */
export function labelsAccessProblem(
  matchers: LabelMatcher[],
  allow: AllowList,
  key: string,
): string | undefined {
  const outside = matchers
    .map(m => `${m.label}=${m.value}`)
    .filter(m => !allow.allows(m));
  return outside.length
    ? `The grafana/alert-label-selector asks for ${outside
        .map(m => `'${m}'`)
        .join(', ')}, not in ${key}, the alert labels DASH may read`
    : undefined;
}
