import { entityName } from './fixtures';
import { EvalScenario } from './types';

/** Longest catalog entity name. */
const MAX_NAME = 63;

/**
 * What is wrong with the scenarios, one sentence each (empty when nothing): a mistake in a
 * scenario would otherwise show up as a wrong rank, not as the typo it is.
 */
export function scenarioProblems(list: EvalScenario[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const s of list) {
    const say = (text: string) => problems.push(`${s.id}: ${text}`);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s.id)) say('id is not kebab-case');
    if (ids.has(s.id)) say('id used twice');
    ids.add(s.id);
    const services = new Set(Object.keys(s.services));
    for (const [service, deps] of Object.entries(s.services)) {
      if (entityName(s, service).length > MAX_NAME) {
        say(`entity name ${entityName(s, service)} is longer than ${MAX_NAME}`);
      }
      for (const d of deps) {
        if (!services.has(d)) say(`${service} depends on unknown service ${d}`);
      }
    }
    if (!services.has(s.paged))
      say(`paged service ${s.paged} is not in services`);
    const eventIds = new Set<string>();
    for (const e of s.events) {
      if (e.id === 'page') say('event id "page" is the page\'s');
      if (eventIds.has(e.id)) say(`event id ${e.id} used twice`);
      eventIds.add(e.id);
      if (!services.has(e.service))
        say(`event ${e.id} on unknown service ${e.service}`);
      if (e.end !== undefined && e.end < e.at)
        say(`event ${e.id} ends before it starts`);
    }
    const causes = s.cause === null ? [] : [s.cause].flat();
    for (const c of causes) {
      if (!eventIds.has(c)) say(`cause ${c} is not an event of the scenario`);
    }
    if (!s.source.trim()) say('no source');
  }
  return problems;
}
