import '@testing-library/jest-dom';
import { Settings } from 'luxon';

// jsdom does no layout. The virtualized event list reads its viewport from clientHeight and
// scrolls with scrollTo; give the list's scroller a viewport and make scrollTo move it, so that
// the tests exercise the same windowing a browser does.
const viewport = { width: 1000, height: 580 };
for (const [prop, value] of [
  ['clientHeight', viewport.height],
  ['clientWidth', viewport.width],
] as const) {
  const original = Object.getOwnPropertyDescriptor(Element.prototype, prop)!;
  Object.defineProperty(HTMLElement.prototype, prop, {
    configurable: true,
    get(this: HTMLElement) {
      return this.hasAttribute('data-dash-scroller')
        ? value
        : original.get!.call(this);
    },
  });
}
if (!Element.prototype.scrollTo) {
  Element.prototype.scrollTo = function scrollTo(
    this: Element,
    optionsOrX?: ScrollToOptions | number,
    y?: number,
  ) {
    const top = typeof optionsOrX === 'object' ? optionsOrX.top : y;
    if (top !== undefined) this.scrollTop = top;
    // Browsers fire scroll events after the scroll, not inside the call.
    queueMicrotask(() => this.dispatchEvent(new Event('scroll')));
  } as Element['scrollTo'];
}

// "Local time" in the tests is Berlin's (UTC+1 in March), so that local and UTC differ.
Settings.defaultZone = 'Europe/Berlin';

// The component tests click through a whole timeline; on a loaded CI machine some take longer
// than Jest's default 5 s.
jest.setTimeout(20_000);
