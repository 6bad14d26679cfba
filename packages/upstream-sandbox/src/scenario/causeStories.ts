/*
 * The likely-cause stories of the demo, each one trap for a ranking that takes the change
 * closest to the page: when they happen (apart from each other and from stories.ts's), the
 * services kept free of background changes around them, and the order they are told in.
 */
import { HOUR } from '../time';
import { dependencyFirst } from './dependencyFirstStory';
import { flagTurnedOff } from './flagTurnedOffStory';
import { earlyOnset } from './earlyOnsetStory';
import { slowBurn } from './slowBurnStory';
import { PendingStory, StoryWorld, sec } from './storyKit';

/** Each story's moment, before now, and the span around it that its services keep quiet. */
const TIMES = {
  /** The causing deploy; the page 65 min after it. */
  earlyOnset: { ago: 7 * HOUR, quiet: [6 * HOUR, 5 * HOUR] },
  /** The page; fraud-detector deploys 45 min before. */
  dependencyFirst: { ago: 18 * HOUR, quiet: [6 * HOUR, 3 * HOUR] },
  /** The flag turned on; it is turned off 30 min later. */
  flagTurnedOff: { ago: 13 * HOUR, quiet: [6 * HOUR, 3 * HOUR] },
  /** The causing deploy; the page 7 h after it. */
  slowBurn: { ago: 20 * HOUR, quiet: [6 * HOUR, 10 * HOUR] },
} as const;

/** The services each story involves: the paged one, the cause's, and their dependencies. */
const SERVICES: Record<keyof typeof TIMES, string[]> = {
  earlyOnset: ['notification-service'],
  dependencyFirst: [
    'payments-api',
    'fraud-detector',
    'ledger-service',
    'payments-sdk',
  ],
  flagTurnedOff: ['web-storefront', 'checkout-api', 'cart-service'],
  slowBurn: ['notification-service'],
};

/** Quiet windows of these stories: no background changes or incidents there. */
export function causeStoryQuietWindows(
  anchor: number,
): Map<string, Array<[number, number]>> {
  const windows = new Map<string, Array<[number, number]>>();
  for (const key of Object.keys(TIMES) as Array<keyof typeof TIMES>) {
    const { ago, quiet } = TIMES[key];
    const at = anchor - ago;
    for (const name of SERVICES[key]) {
      windows.set(name, [
        ...(windows.get(name) ?? []),
        [at - quiet[0], at + quiet[1]],
      ]);
    }
  }
  return windows;
}

/**
 * The stories, in the order scenario.stories lists them. The slow burn is written first: the
 * early onset, later on the same service, releases after it.
 */
export function buildCauseStories(world: StoryWorld): PendingStory[] {
  const at = (key: keyof typeof TIMES) =>
    sec(world.ctx.anchor - TIMES[key].ago);
  const slow = slowBurn(world, at('slowBurn'));
  const stories = [
    earlyOnset(world, at('earlyOnset')),
    dependencyFirst(world, at('dependencyFirst')),
    flagTurnedOff(world, at('flagTurnedOff')),
    slow,
  ];
  return stories.filter((s): s is PendingStory => s !== undefined);
}
