// The little of react-dom's API the host uses (@types/react-dom is not installed).
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
