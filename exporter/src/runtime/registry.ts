// Every component the exporter can run. Each engineer adds one line for their source; the CLI gathers their flags
// (for parsing and --help), creates the enabled ones, mounts their routes and renders their collectors.
import type { ComponentModule } from './source';
import { procfsModule } from '../sources/procfs';
import { kubernetesModule } from '../sources/kubernetes';
import { deploysModule } from '../publish/deploys';
import { gitModule } from '../sources/git';
import { webhooksModule } from '../sources/webhooks';
import { dockerModule } from '../sources/docker';

export const componentModules: ComponentModule[] = [
  procfsModule,
  kubernetesModule,
  deploysModule,
  gitModule,
  webhooksModule,
  dockerModule,
];
