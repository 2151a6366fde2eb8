// The Docker component module: with --docker.socket, follows the engine's containers over its unix socket. Unset,
// there is no Docker component at all (hosts with only containerd get their containers from cgroup ids).
import type { ComponentModule, Context, FlagSpec } from '../../runtime/source';
import { DockerSource } from './dockerSource';

export const dockerFlags: FlagSpec[] = [
  {
    name: 'docker.socket',
    help:
      "Docker engine's unix socket, typically /var/run/docker.sock: publishes container names, images and Compose " +
      'project and service. Unset: no Docker source.',
    type: 'string',
  },
  {
    name: 'docker.retry',
    help: 'First reconnect delay after the engine is unreachable or its events stream drops (doubles up to 30s).',
    type: 'duration',
    default: '1s',
  },
];

export const dockerModule: ComponentModule = {
  flags: dockerFlags,
  create(ctx: Context) {
    const socket = ctx.config['docker.socket'];
    if (typeof socket !== 'string' || socket === '') return undefined;
    const retry = ctx.config['docker.retry'];
    return new DockerSource({
      socketPath: socket,
      hostname: ctx.hostname,
      logger: ctx.logger,
      retry: typeof retry === 'number' && retry > 0 ? retry : 1,
    });
  },
};
