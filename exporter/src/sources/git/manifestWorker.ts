// The worker thread that parses large manifests (ManifestParser), so that a multi-megabyte YAML file never holds
// the event loop (a scrape waited 10 s behind one). Messages: in `{ id, text, defaultNamespace }`, out `{ id, parsed }`.
import { parentPort } from 'node:worker_threads';
import { parseManifests } from './manifests';

parentPort?.on('message', (msg: { id: number; text: string; defaultNamespace: string }) => {
  parentPort?.postMessage({ id: msg.id, parsed: parseManifests(msg.text, msg.defaultNamespace) });
});
