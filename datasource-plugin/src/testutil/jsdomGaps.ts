// What @grafana/ui asks of a browser at import time and jsdom does not have. Imported first by component tests;
// the answers are those of a plain screen (no media query matches).
if (typeof window !== 'undefined' && !window.matchMedia) {
  window.matchMedia = (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  });
}

// Grafana's scroll indicators watch their edges; jsdom lays nothing out, so there is nothing to report.
class SilentObserver {
  readonly root = null;
  readonly rootMargin = '';
  readonly thresholds: readonly number[] = [];
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
  takeRecords(): IntersectionObserverEntry[] {
    return [];
  }
}
if (typeof window !== 'undefined' && !window.IntersectionObserver) window.IntersectionObserver = SilentObserver;
