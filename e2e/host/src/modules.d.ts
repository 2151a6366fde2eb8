// Types of modules the host bundles without their own: the little of react-dom it uses (@types/react-dom is not
// installed), and the shared modules it only hands on.
declare module 'react-dom' {
  const ReactDOM: Record<string, unknown>;
  export = ReactDOM;
}
declare module 'react-dom/client' {
  import type { ReactNode } from 'react';
  export interface Root {
    render(children: ReactNode): void;
    unmount(): void;
  }
  export function createRoot(container: Element): Root;
}
// Shared with plugins as Grafana shares them (sharedModules.ts); the host never calls them itself.
declare module 'prismjs';
declare module 'react-router-dom';
declare module 'slate';
declare module 'slate-plain-serializer';
declare module 'slate-react';
