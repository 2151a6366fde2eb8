// A probe's reply as it crosses from the walker thread to the main thread. Each message is a structured clone: on a
// steady host the listeners, edges and remote connections are the same arrays probe after probe, and most process
// nodes the same objects (TopologyMemo); copying and rebuilding them every second would cost both threads more than
// the rest of the reply. Unchanged connections are left out, and an unchanged process node is sent as its index in
// the previous reply's list; the receiver puts back what it has. One sender and one receiver per worker: a new worker
// starts with a new pair, so its first reply is whole.
import type { ProcessNode, Topology } from './model/topology';
import type { ProbeReply } from './probeReply';

type Connections = Pick<Topology, 'listeners' | 'edges' | 'remotes'>;
type OkReply = Extract<ProbeReply, { ok: true }>;

/** A reply as sent: processes by index where unchanged, connections left out when the previous reply's. */
type Encoded = Omit<OkReply, 'topology'> & {
  topology: Omit<Topology, keyof Connections | 'processes'> & Partial<Connections>;
  nodes: (ProcessNode | number)[];
};

export type WireMessage = Extract<ProbeReply, { ok: false }> | Encoded;

export class WireSender {
  private sent: Topology | undefined;
  private index = new Map<ProcessNode, number>();

  encode(reply: ProbeReply): WireMessage {
    if (!reply.ok) return reply;
    const { listeners, edges, remotes, processes, ...rest } = reply.topology;
    const last = this.sent;
    const same = last && last.listeners === listeners && last.edges === edges && last.remotes === remotes;
    const encoded = processes.map((p) => this.index.get(p) ?? p);
    this.sent = reply.topology;
    this.index = new Map(processes.map((p, i) => [p, i]));
    return { ...reply, topology: same ? rest : { ...rest, listeners, edges, remotes }, nodes: encoded };
  }
}

export class WireReceiver {
  private had: Topology | undefined;

  /** The reply, with what was left out put back; undefined when this receiver does not have it. */
  decode(msg: WireMessage): ProbeReply | undefined {
    if (!msg.ok) return msg;
    const { nodes: encoded, topology: t, ...rest } = msg;
    const had = this.had;
    const processes: ProcessNode[] = [];
    for (const p of encoded) {
      const node = typeof p === 'number' ? had?.processes[p] : p;
      if (!node) return undefined;
      processes.push(node);
    }
    const { listeners, edges, remotes } = t.listeners && t.edges && t.remotes ? (t as Connections) : (had ?? {});
    if (!listeners || !edges || !remotes) return undefined;
    const topology: Topology = { ...t, processes, listeners, edges, remotes };
    this.had = topology;
    return { ...rest, topology };
  }
}
