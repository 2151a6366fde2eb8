// Every module the exporter can run. Each engineer adds one line for their source; the CLI gathers their flags
// (for parsing and --help), and the runtime creates the ones turned on, mounts their routes and renders their
// collectors.
import { journalFlags } from './journal';
import { deploysModule } from './publish/deploys';
import { dockerModule } from './sources/docker';
import { gitModule } from './sources/git';
import { kubernetesModule } from './sources/kubernetes';
import { procfsModule } from './sources/procfs';
import { webhooksModule } from './sources/webhooks';
import type { FlagSpec } from './runtime/config';
import type { ComponentModule } from './runtime/source';
import { collectorFlags } from './runtime/supervisor';

export const componentModules: ComponentModule[] = [
  procfsModule,
  kubernetesModule,
  deploysModule,
  gitModule,
  webhooksModule,
  dockerModule,
];

/** The collector switches, the flags of the runtime's services (the journal), then every module's own flags. */
export function registryFlags(modules: readonly ComponentModule[] = componentModules): FlagSpec[] {
  return [...collectorFlags(modules), ...journalFlags, ...modules.flatMap((m) => m.flags)];
}
