// Starts a worker thread on a module beside the caller: the compiled .js when running built; from source (tests,
// `node -r scripts/register-swc.js`) an eval'd bootstrap registers the TypeScript loader first.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/** `dir` and `ext`: the caller's __dirname and extname(__filename); `name` the module without extension. */
export function startWorker(dir: string, ext: string, name: string, workerData?: unknown): Worker {
  const entry = join(dir, `${name}${ext}`);
  if (ext !== '.ts') return new Worker(entry, { workerData });
  const register = resolve(__dirname, '../../../scripts/register-swc.js');
  if (!existsSync(register)) throw new Error(`cannot run ${name} from source: ${register} is missing`);
  const bootstrap = `require(${JSON.stringify(register)}); require(${JSON.stringify(entry)});`;
  return new Worker(bootstrap, { eval: true, workerData });
}
