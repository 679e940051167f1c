import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// happy-dom has no layout engine: every box is 0×0, so a virtualised list would think its
// viewport is empty. Give the message scroller a desktop-sized box; rows keep their estimate.
const VIEWPORT = { width: 1000, height: 800 };
const original = Element.prototype.getBoundingClientRect;
Element.prototype.getBoundingClientRect = function (this: Element) {
  if (this.classList.contains('message-list')) {
    return { x: 0, y: 0, top: 0, left: 0, right: VIEWPORT.width, bottom: VIEWPORT.height, ...VIEWPORT, toJSON: () => ({}) } as DOMRect;
  }
  return original.call(this);
};
for (const prop of ['offsetHeight', 'clientHeight'] as const) {
  const base = Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop) ?? Object.getOwnPropertyDescriptor(Element.prototype, prop);
  Object.defineProperty(HTMLElement.prototype, prop, {
    configurable: true,
    get(this: HTMLElement) {
      if (this.classList.contains('message-list')) return VIEWPORT.height;
      return base?.get ? (base.get.call(this) as number) : 0;
    },
  });
}

// The scroller's content height is its inner box's inline height (what layout would compute).
const baseScrollHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollHeight');
Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
  configurable: true,
  get(this: HTMLElement) {
    if (this.classList.contains('message-list')) {
      return parseFloat((this.firstElementChild as HTMLElement | null)?.style.height ?? '') || 0;
    }
    return baseScrollHeight?.get ? (baseScrollHeight.get.call(this) as number) : 0;
  },
});

// happy-dom moves scrollTop on scroll()/scrollTo() but fires no scroll event; browsers do.
const originalScroll = Element.prototype.scroll;
Element.prototype.scroll = function (this: Element, ...args: unknown[]) {
  (originalScroll as (...a: unknown[]) => void).apply(this, args);
  this.dispatchEvent(new Event('scroll'));
} as typeof Element.prototype.scroll;
Element.prototype.scrollTo = Element.prototype.scroll;

afterEach(() => {
  cleanup();
});
