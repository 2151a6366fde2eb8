// One process of the demo shop: a service (answers HTTP, calls its dependencies over keep-alive connections) or a
// load generator (calls its dependencies on a timer). Configured by environment, like a container; only Node's
// built-in modules, so that dozens of them start fast. Exits when told to or when its supervisor goes away.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

export interface ProcConfig {
  name: string;
  role: 'service' | 'load';
  version: string;
  /** listening port of a service (0 for load) */
  port: number;
  /** dependency name -> host:port */
  deps: Map<string, string>;
  pollMs: number;
}

/** Reads SHOP_NAME, SHOP_ROLE, SHOP_VERSION, SHOP_PORT, SHOP_DEPS (name=host:port,...) and SHOP_POLL_MS. */
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
  return { name, role, version: env.SHOP_VERSION ?? '0', port, deps, pollMs: Number(env.SHOP_POLL_MS ?? 0) };
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

export function runProc(cfg: ProcConfig): void {
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
