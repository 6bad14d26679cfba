import '@testing-library/jest-dom';
import { Settings } from 'luxon';

// jsdom does no layout. The audit log page's virtualized table reads its viewport from
// clientHeight: give its scroller one (about 75 rows), so the tests see the rows a browser
// window of that height would draw.
const viewport = { width: 1200, height: 4000 };
for (const [prop, value] of [
  ['clientHeight', viewport.height],
  ['clientWidth', viewport.width],
] as const) {
  const original = Object.getOwnPropertyDescriptor(Element.prototype, prop)!;
  Object.defineProperty(HTMLElement.prototype, prop, {
    configurable: true,
    get(this: HTMLElement) {
      return this.hasAttribute('data-virtual-scroller')
        ? value
        : original.get!.call(this);
    },
  });
}

// "Local time" in the tests is Berlin's, so that local and UTC differ.
Settings.defaultZone = 'Europe/Berlin';

// The form tests type into many fields; on a loaded CI machine some take longer than 5 s.
jest.setTimeout(20_000);
