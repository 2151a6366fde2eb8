// Loads plugins the way Grafana's frontend does (public/app/features/plugins/loader/ of grafana/grafana): SystemJS
// with its AMD extra, so define() gets `module` (with `uri`), `exports` and `require`; every shared module is set
// under a `package:` URL and an import map points its bare name there. Any other bare name fails to resolve, as it
// does in Grafana.
import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';
import 'systemjs/dist/extras/named-register.js';
import { sharedModules } from './sharedModules';

interface SystemJs {
  set(id: string, module: object): void;
  addImportMap(map: { imports: Record<string, string> }): void;
  import(id: string): Promise<Record<string, unknown>>;
}

const system = (window as unknown as { System: SystemJs }).System;
let installed = false;

function installSharedModules(): void {
  if (installed) return;
  installed = true;
  const imports: Record<string, string> = {};
  for (const [name, module] of Object.entries(sharedModules)) {
    const id = `package:${name}`;
    system.set(id, module);
    imports[name] = id;
  }
  system.addImportMap({ imports });
}

/** Imports one plugin's module.js (public/plugins/<id>/module.js) and returns its exports. */
export async function loadPluginModule<T>(url: string): Promise<T> {
  installSharedModules();
  try {
    return (await system.import(new URL(url, window.location.href).href)) as T;
  } catch (e) {
    throw new Error(`could not load plugin ${url}: ${(e as Error).message}`);
  }
}
