// What one probe answers: the topology the walk saw with its health figures, or why it failed. The walker thread
// sends it (through probeWire.ts), the procfs source applies it.
import type { Topology } from './model/topology';
import type { ProbeErrorKind } from '../../runtime/sourceHealth';
import type { NatConnection } from './natConnections';
import type { SocketReads } from './walk';

export type ProbeReply =
  | {
      ok: true;
      topology: Topology;
      /** translated connections of this host's clients (conntrack), [] without a conntrack table */
      nat: NatConnection[];
      errors: Record<ProbeErrorKind, number>;
      problems: string[];
      wallSeconds: number;
      walkCpuSeconds: number;
      processes: number;
      sockets: number;
      /** how the walk read its namespaces' socket tables (netlink or the text tables, and why) */
      socketReads: SocketReads;
    }
  | { ok: false; message: string; code?: string };
