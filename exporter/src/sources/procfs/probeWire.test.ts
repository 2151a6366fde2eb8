import { deserialize, serialize } from 'node:v8';
import type { ProcessNode, Topology } from './model/topology';
import { WireReceiver, WireSender, type WireMessage } from './probeWire';
import type { ProbeReply } from './probeReply';

const node = (id: string, cpuSeconds = 1): ProcessNode => ({
  id,
  key: id,
  name: id,
  parent: 'host:h',
  user: 'root',
  cmdline: '',
  containerId: '',
  pid: 1,
  ppid: 0,
  instances: 1,
  cpuSeconds,
  rssBytes: 0,
  startTime: 0,
});

function reply(t: Omit<Topology, 'host' | 'containers'>): ProbeReply {
  const host = { id: 'host:h', name: 'h', kernel: '', os: '', addresses: [] };
  return {
    ok: true,
    topology: { host, containers: [], ...t },
    nat: [],
    errors: { vanished: 0, permission: 0, malformed: 0, io: 0 },
    problems: [],
    wallSeconds: 0,
    walkCpuSeconds: 0,
    processes: t.processes.length,
    sockets: 0,
    socketReads: { netlink: 1, procfs: 0 },
  };
}

/** across a thread as a message would be: a structured clone */
const cross = (m: WireMessage): WireMessage => deserialize(serialize(m)) as WireMessage;

describe('probeWire', () => {
  it('hands back every reply whole, sending unchanged nodes by index and unchanged connections not at all', () => {
    const sender = new WireSender();
    const receiver = new WireReceiver();
    const a = node('a');
    const edges = [{ source: 'a', target: 'b', port: 80, connections: 2 }];
    const conn = { listeners: [], edges, remotes: [] };
    const first = reply({ processes: [a, node('b')], ...conn });
    expect(receiver.decode(cross(sender.encode(first)))).toEqual(first);

    // a unchanged, b changed, c new, same connections
    const second = reply({ processes: [node('c'), a, node('b', 2)], ...conn });
    const sent = sender.encode(second);
    expect(sent.ok && sent.nodes[1]).toBe(0);
    expect(sent.ok && sent.topology.edges).toBeUndefined();
    expect(receiver.decode(cross(sent))).toEqual(second);

    // new connections are sent again
    const third = reply({ processes: [a], listeners: [], edges: [], remotes: [] });
    expect(receiver.decode(cross(sender.encode(third)))).toEqual(third);
  });

  it('a receiver that missed what is referred to says so (undefined) instead of guessing', () => {
    const sender = new WireSender();
    const a = node('a');
    const conn = { listeners: [], edges: [], remotes: [] };
    sender.encode(reply({ processes: [a], ...conn }));
    expect(new WireReceiver().decode(cross(sender.encode(reply({ processes: [a], ...conn }))))).toBeUndefined();
  });
});
