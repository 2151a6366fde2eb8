// The Docker component module: with --collector.docker (or, as before it existed, --docker.socket alone), follows the
// engine's containers over its unix socket. Off, there is no Docker component at all (hosts with only containerd get
// their containers from cgroup ids).
import type { ComponentModule, Context, FlagSpec } from '../../runtime/source';
import { DockerSource } from './dockerSource';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export const dockerFlags: FlagSpec[] = [
  {
    name: 'docker.socket',
    help: "Docker engine's unix socket (setting it also turns --collector.docker on).",
    type: 'string',
    default: DEFAULT_DOCKER_SOCKET,
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
  source: {
    name: 'docker',
    help: 'Publish container names, images and Compose project and service from the Docker engine.',
    // --docker.socket alone turned the source on before the collector flags existed, and still does
    implied: (config) => config.isSet('docker.socket') && config.string('docker.socket') !== '',
    impliedText: 'on when --docker.socket is set',
  },
  create(ctx: Context) {
    return new DockerSource({
      socketPath: ctx.config.optionalString('docker.socket') ?? DEFAULT_DOCKER_SOCKET,
      hostname: ctx.hostname,
      logger: ctx.logger,
      health: ctx.health,
      retry: ctx.config.positiveDuration('docker.retry'),
    });
  },
};
