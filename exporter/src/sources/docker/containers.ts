// The engine's JSON read into what the series need: id, name, image and the Compose project and service. Everything
// here comes from outside: shapes are checked, and text goes through labelText before it can become a label.
import { labelText } from '../../runtime/labelText';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

export interface DockerContainer {
  /** the full id, 64 hex */
  id: string;
  name: string;
  image: string;
  composeProject: string;
  composeService: string;
}

/** The actions the source asks the events stream for (everything else is filtered out by the engine). */
export const WATCHED_ACTIONS = ['start', 'die', 'destroy', 'rename'] as const;
export type WatchedAction = (typeof WATCHED_ACTIONS)[number];

export interface ContainerEvent {
  action: WatchedAction;
  id: string;
  /** Actor.Attributes: the container's labels plus name and image */
  attributes: Record<string, string>;
}

const ID_RE = /^[0-9a-f]{64}$/;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Engine names carry a leading slash (`/shop-carts-1`). */
function displayName(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name;
}

function container(id: string, name: string, image: string, labels: Record<string, string>): DockerContainer {
  return {
    id,
    name: labelText(displayName(name)),
    image: labelText(image),
    composeProject: labelText(labels[COMPOSE_PROJECT_LABEL] ?? ''),
    composeService: labelText(labels[COMPOSE_SERVICE_LABEL] ?? ''),
  };
}

/** One entry of GET /containers/json; undefined when it is not one. */
export function fromSummary(v: unknown): DockerContainer | undefined {
  if (!isObject(v) || typeof v.Id !== 'string' || !ID_RE.test(v.Id)) return undefined;
  const names = Array.isArray(v.Names) ? v.Names.filter((n): n is string => typeof n === 'string') : [];
  return container(v.Id, names[0] ?? '', str(v.Image), stringMap(v.Labels));
}

/** GET /containers/{id}/json; undefined when it is not a container, or not a running one. */
export function fromInspect(v: unknown): DockerContainer | undefined {
  if (!isObject(v) || typeof v.Id !== 'string' || !ID_RE.test(v.Id)) return undefined;
  if (isObject(v.State) && v.State.Running === false) return undefined;
  const config = isObject(v.Config) ? v.Config : {};
  return container(v.Id, str(v.Name), str(config.Image), stringMap(config.Labels));
}

/** A container from an event's attributes, when they name it (dockerd puts name, image and the labels there). */
export function fromAttributes(id: string, attributes: Record<string, string>): DockerContainer | undefined {
  if (attributes.name === undefined) return undefined;
  return container(id, attributes.name, attributes.image ?? '', attributes);
}

/**
 * One line of GET /events. Returns undefined for events the source does not act on (other types or actions), and
 * throws for a line that is not a well-formed event.
 */
export function parseEvent(line: string): ContainerEvent | undefined {
  const v: unknown = JSON.parse(line);
  if (!isObject(v) || !isObject(v.Actor)) throw new SyntaxError('not an engine event (no Actor)');
  const type = v.Type;
  const action = v.Action;
  if (typeof type !== 'string' || typeof action !== 'string') throw new SyntaxError('not an engine event (no Type)');
  if (type !== 'container' || !(WATCHED_ACTIONS as readonly string[]).includes(action)) return undefined;
  const id = v.Actor.ID;
  if (typeof id !== 'string' || !ID_RE.test(id)) throw new SyntaxError('container event without a container id');
  return { action: action as WatchedAction, id, attributes: stringMap(v.Actor.Attributes) };
}
