// A probe's reply as it crosses from the walker thread to the main thread. Each message is a structured clone: on a
// steady host the listeners, edges and remote connections are the same arrays probe after probe (TopologyMemo), and
// copying and rebuilding them every second would cost both threads more than the rest of the reply. They are sent
// only when they changed; the receiver puts back the ones it has. One sender and one receiver per worker: a new
// worker starts with a new pair, so its first reply is whole.
import type { Topology } from './model/topology';
import type { ProbeReply } from './walkerThread';

type Connections = Pick<Topology, 'listeners' | 'edges' | 'remotes'>;
type OkReply = Extract<ProbeReply, { ok: true }>;

/** A reply whose connections are the previous reply's: left out, `sameConnections` set. */
type Elided = Omit<OkReply, 'topology'> & {
  topology: Omit<Topology, keyof Connections>;
  sameConnections: true;
};

export type WireMessage = ProbeReply | Elided;

export class WireSender {
  private sent: Connections | undefined;

  encode(reply: ProbeReply): WireMessage {
    if (!reply.ok) return reply;
    const t = reply.topology;
    const last = this.sent;
    this.sent = { listeners: t.listeners, edges: t.edges, remotes: t.remotes };
    if (!last || last.listeners !== t.listeners || last.edges !== t.edges || last.remotes !== t.remotes) return reply;
    const { host, containers, processes } = t;
    return { ...reply, topology: { host, containers, processes }, sameConnections: true };
  }
}

export class WireReceiver {
  private had: Connections | undefined;

  /** The reply, with the connections put back; undefined when they were left out and this receiver has none. */
  decode(msg: WireMessage): ProbeReply | undefined {
    if (!msg.ok) return msg;
    if (!('sameConnections' in msg)) {
      const { listeners, edges, remotes } = msg.topology;
      this.had = { listeners, edges, remotes };
      return msg;
    }
    if (!this.had) return undefined;
    const { sameConnections: _, topology, ...rest } = msg;
    return { ...rest, topology: { ...topology, ...this.had } };
  }
}
