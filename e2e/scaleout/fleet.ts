// A simulated fleet for the scale-out test: each host is an exporter reading its own synthetic procfs tree
// (--path.procfs, --host.name), the tree a symlink the test repoints to move the fleet from one phase to the next.
// In each phase a host runs a listening service, clients connected to it over loopback (edges the exporter resolves
// itself) and connections to another host's address (remote connections).
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildFakeProcfs,
  DEFAULT_NETNS,
  TCP_HEADER,
  tcpLine,
  type FakeProcess,
} from '../../exporter/src/testutil/fakeProcfs';
import { startExporterProcess, type ExporterProcess } from '../../exporter/src/testutil/exporterProcess';

const LISTEN = 0x0a;
const ESTABLISHED = 0x01;

/** One host's processes in one phase: a service and the names of its local clients, and a remote call or none. */
export interface HostPhase {
  service?: { name: string; port: number };
  clients: string[];
  /** a client of another host's service, by address */
  remote?: { name: string; address: string; port: number };
}

/**
 * A procfs tree holding the phase's processes and sockets. Each phase's processes are new processes (pids and start
 * times of their own) holding new sockets (inodes of their own), as on a real host where a process never changes
 * its name or its sockets under the same pid and start time: the exporter keeps what it read of a (pid, start time)
 * and of a socket inode between probes, so reusing them would show the previous phase's names.
 */
export function phaseTree(p: HostPhase, phase = 0): { root: string; cleanup(): void } {
  const processes: FakeProcess[] = [];
  const lines: string[] = [];
  let pid = 100 + 100 * phase;
  let inode = 5000 + 1000 * phase;
  let sl = 0;
  const add = (name: string, sockets: number[]): void => {
    pid += 1;
    processes.push({ pid, name, cmdline: `${name}\0`, sockets, startTicks: 1000 + pid });
  };
  if (p.service) {
    const listen = ++inode;
    lines.push(tcpLine(sl++, ['0.0.0.0', p.service.port], ['0.0.0.0', 0], LISTEN, listen));
    const accepted: number[] = [];
    p.clients.forEach((name, i) => {
      const port = 41000 + 100 * phase + i;
      const client = ++inode;
      const server = ++inode;
      lines.push(tcpLine(sl++, ['127.0.0.1', port], ['127.0.0.1', p.service?.port ?? 0], ESTABLISHED, client));
      lines.push(tcpLine(sl++, ['127.0.0.1', p.service?.port ?? 0], ['127.0.0.1', port], ESTABLISHED, server));
      accepted.push(server);
      add(name, [client]);
    });
    add(p.service.name, [listen, ...accepted]);
  }
  if (p.remote) {
    const s = ++inode;
    lines.push(tcpLine(sl++, ['10.99.0.1', 42000 + phase], [p.remote.address, p.remote.port], ESTABLISHED, s));
    add(p.remote.name, [s]);
  }
  return buildFakeProcfs({ processes, net: { [DEFAULT_NETNS]: { tcp: TCP_HEADER + lines.join('') } } });
}

export interface FleetHost {
  name: string;
  exporter: ExporterProcess;
  /** host:port for scrape configs */
  target: string;
}

export interface Fleet {
  hosts: FleetHost[];
  /** repoints every host's procfs at its tree of phase `i` */
  enter(i: number): void;
  stop(): Promise<void>;
}

/** `phases[i][h]`: host h in phase i. The fleet starts in phase 0. */
export async function startFleet(hostNames: string[], phases: HostPhase[][]): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-fleet-'));
  const trees = phases.map((phase, i) => phase.map((host) => phaseTree(host, i)));
  const link = (h: number): string => join(dir, hostNames[h] ?? String(h), 'proc');
  const enter = (i: number): void => {
    hostNames.forEach((_, h) => {
      const tree = trees[i]?.[h];
      if (!tree) throw new Error(`no phase ${i} for host ${h}`);
      // a new link renamed over the old one: the exporter never sees a missing tree
      const tmp = `${link(h)}.next`;
      symlinkSync(tree.root, tmp);
      renameSync(tmp, link(h));
    });
  };
  const hosts: FleetHost[] = [];
  try {
    for (const name of hostNames) mkdirSync(join(dir, name));
    enter(0);
    for (const [h, name] of hostNames.entries()) {
      const exporter = await startExporterProcess({
        args: [`--host.name=${name}`, `--path.procfs=${link(h)}`, '--probe.interval=1s'],
      });
      hosts.push({ name, exporter, target: `127.0.0.1:${exporter.port}` });
    }
  } catch (e) {
    await Promise.all(hosts.map((x) => x.exporter.kill()));
    throw e;
  }
  return {
    hosts,
    enter,
    stop: async () => {
      await Promise.all(hosts.map((x) => x.exporter.stop()));
      trees.flat().forEach((t) => t.cleanup());
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
