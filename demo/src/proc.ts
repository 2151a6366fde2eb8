// One process of the demo shop: a service (answers HTTP, calls its dependencies over keep-alive connections) or a
// load generator (calls its dependencies on a timer). Configured by environment, like a container; only Node's
// built-in modules, so that dozens of them start fast. Exits when told to or when its supervisor goes away.
import { writeFileSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';

export interface ProcConfig {
  name: string;
  role: 'service' | 'load';
  version: string;
  /** listening port of a service (0 for load) */
  port: number;
  /** dependency name -> host:port */
  deps: Map<string, string>;
  pollMs: number;
  /** the container cgroup folder to move into before anything else (the demo's pod for this process) */
  cgroup?: string;
}

/** Reads SHOP_NAME, SHOP_ROLE, SHOP_VERSION, SHOP_PORT, SHOP_DEPS (name=host:port,...), SHOP_POLL_MS, SHOP_CGROUP. */
export function configFromEnv(env: NodeJS.ProcessEnv): ProcConfig {
  const name = env.SHOP_NAME ?? '';
  const role = env.SHOP_ROLE === 'load' ? 'load' : 'service';
  if (!name) throw new Error('SHOP_NAME is required');
  const deps = new Map<string, string>();
  for (const item of (env.SHOP_DEPS ?? '').split(',').filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`SHOP_DEPS: bad item ${JSON.stringify(item)}; want name=host:port`);
    deps.set(item.slice(0, eq), item.slice(eq + 1));
  }
  const port = Number(env.SHOP_PORT ?? 0);
  if (role === 'service' && !(port > 0 && port < 65536)) throw new Error(`SHOP_PORT: bad port ${env.SHOP_PORT}`);
  const cfg: ProcConfig = {
    name,
    role,
    version: env.SHOP_VERSION ?? '0',
    port,
    deps,
    pollMs: Number(env.SHOP_POLL_MS ?? 0),
  };
  if (env.SHOP_CGROUP) cfg.cgroup = env.SHOP_CGROUP;
  return cfg;
}

// Few sockets per dependency, kept open: the connections persist, as between real services.
const agent = new Agent({ keepAlive: true, maxSockets: 2 });

function call(target: string, path: string): Promise<number> {
  return new Promise((resolve) => {
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), target.slice(target.lastIndexOf(':') + 1)];
    const req = request({ host, port: Number(port), path, agent, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Calls every dependency once; returns how many answered 200. */
async function callAll(cfg: ProcConfig): Promise<number> {
  const codes = await Promise.all([...cfg.deps.values()].map((t) => call(t, `/from/${cfg.name}`)));
  return codes.filter((c) => c === 200).length;
}

function handle(cfg: ProcConfig, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const reply = (status: number, body: object): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/health') return reply(200, { name: cfg.name, version: cfg.version });
  void callAll(cfg).then((ok) =>
    reply(ok === cfg.deps.size ? 200 : 502, { name: cfg.name, version: cfg.version, deps: cfg.deps.size, ok }),
  );
}

/**
 * Moves this process into its container cgroup, as the container runtime would have started it there. Done before
 * the process takes its name, so that the exporter, which reads a process' cgroup again when its name changes, never
 * keeps it outside its container. A failure is said and the process runs on outside (its pod then has no process).
 */
function enterContainer(cgroup: string): void {
  try {
    writeFileSync(join(cgroup, 'cgroup.procs'), String(process.pid));
  } catch (e) {
    console.error(`cannot enter the container cgroup ${cgroup}: ${(e as Error).message}`);
  }
}

export function runProc(cfg: ProcConfig): void {
  if (cfg.cgroup) enterContainer(cfg.cgroup);
  process.title = cfg.name;
  let stopping = false;
  const server = cfg.role === 'service' ? createServer((req, res) => handle(cfg, req, res)) : undefined;
  if (server) {
    server.keepAliveTimeout = 120_000;
    server.on('error', (e) => {
      console.error(`${cfg.name}: ${e.message}`);
      process.exit(1);
    });
    server.listen(cfg.port, '127.0.0.1', () => process.send?.({ ready: cfg.name }));
  } else {
    process.send?.({ ready: cfg.name });
  }
  let timer: NodeJS.Timeout | undefined;
  if (cfg.pollMs > 0) {
    const tick = (): void => {
      void callAll(cfg).finally(() => {
        if (!stopping) timer = setTimeout(tick, cfg.pollMs);
      });
    };
    timer = setTimeout(tick, Math.random() * cfg.pollMs);
  }
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearTimeout(timer);
    agent.destroy();
    server?.close();
    server?.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The supervisor holds an IPC channel: when it dies, even by SIGKILL, the channel closes and so do we.
  process.on('disconnect', stop);
}

if (require.main === module) {
  try {
    runProc(configFromEnv(process.env));
  } catch (e) {
    console.error(`shop process: ${(e as Error).message}`);
    process.exit(2);
  }
}
