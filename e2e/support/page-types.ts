// The node tsconfig has no DOM lib; code passed to page.evaluate runs in the browser and uses
// these minimal shapes (declared per spec with `declare const document: PageDocument`).
export interface PageElement {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  click(): void;
  getAttribute(name: string): string | null;
}
export interface PageDocument {
  body: PageElement;
  documentElement: PageElement;
  activeElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
}
