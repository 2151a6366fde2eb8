import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFakeProcfs, DEFAULT_NETNS, tcpLine, TCP_HEADER, type FakeProcess } from '../../testutil/fakeProcfs';
import { natConnections, natFamily } from './natConnections';
import { ProcWalker } from './walk';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../../testdata/proc', name), 'latin1');
const POD_NS = 4026532101;
const ESTABLISHED = 1;

// kubelet on the node talks to the API server's ClusterIP; front-end in its pod's namespace calls the catalogue
// ClusterIP three times (kube-proxy sent two to one backend, one to another) and one backend pod IP directly.
const processes: FakeProcess[] = [
  { pid: 100, name: 'kubelet', sockets: [1001] },
  { pid: 200, name: 'front-end', netns: POD_NS, sockets: [2001, 2002, 2003, 2004] },
];
const net = {
  [DEFAULT_NETNS]: { tcp: TCP_HEADER + tcpLine(0, ['192.168.50.1', 52000], ['10.96.0.1', 443], ESTABLISHED, 1001) },
  [POD_NS]: {
    tcp:
      TCP_HEADER +
      tcpLine(0, ['10.244.1.4', 40000], ['10.96.0.20', 80], ESTABLISHED, 2001) +
      tcpLine(1, ['10.244.1.4', 40002], ['10.96.0.20', 80], ESTABLISHED, 2002) +
      tcpLine(2, ['10.244.1.4', 40004], ['10.96.0.20', 80], ESTABLISHED, 2003) +
      tcpLine(3, ['10.244.1.4', 41000], ['10.244.2.5', 8081], ESTABLISHED, 2004),
  },
};

const expected = [
  '192.168.50.1 -> 10.96.0.1:443 = 192.168.50.10:6443 x1',
  '10.244.1.4 -> 10.96.0.20:80 = 10.244.2.5:8081 x2',
  '10.244.1.4 -> 10.96.0.20:80 = 10.244.1.9:8081 x1',
].sort();

function walkNat(tables: Record<number, string>): { nat: string[]; errors: Record<string, number> } {
  const tree = buildFakeProcfs({ processes, net });
  try {
    for (const [pid, text] of Object.entries(tables)) writeFileSync(join(tree.root, pid, 'net', 'nf_conntrack'), text);
    const snapshot = new ProcWalker({ root: tree.root }).walk();
    const nat = natConnections(snapshot.conntrack, snapshot.sockets).map(
      (n) => `${n.sourceAddress} -> ${n.address}:${n.port} = ${n.backendAddress}:${n.backendPort} x${n.connections}`,
    );
    return { nat: nat.sort(), errors: snapshot.errors };
  } finally {
    tree.cleanup();
  }
}

describe('NAT connections from conntrack', () => {
  it("publishes the backend each of this host's translated client connections reached, without client ports", () => {
    const { nat, errors } = walkNat({ 100: fixture('nf_conntrack') });
    // not kept: the direct pod-IP call (not translated), the NodePort call from outside (no local client socket),
    // the IPv6 flows (no such sockets here), TIME_WAIT / SYN_SENT / udp / icmp entries
    expect(nat).toEqual(expected);
    expect(errors).toEqual({ vanished: 0, permission: 0, malformed: 0, io: 0 });
  });

  it('counts a connection once when several namespaces list it', () => {
    expect(walkNat({ 100: fixture('nf_conntrack'), 200: fixture('nf_conntrack') }).nat).toEqual(expected);
  });

  it('treats a missing table as normal (no conntrack module) and counts malformed lines', () => {
    expect(walkNat({})).toEqual({ nat: [], errors: { vanished: 0, permission: 0, malformed: 0, io: 0 } });
    const bad = walkNat({ 100: fixture('nf_conntrack-malformed') });
    expect(bad.errors.malformed).toBe(10);
    expect(bad.nat).toEqual(['10.244.1.4 -> 10.96.0.20:80 = 10.244.2.5:8081 x1']);
  });

  it('reads the table of /proc/net when no namespace could be read through a pid', () => {
    const tree = buildFakeProcfs({ processes: [], net: {} });
    try {
      mkdirSync(join(tree.root, 'net'));
      writeFileSync(join(tree.root, 'net', 'nf_conntrack'), fixture('nf_conntrack'));
      const snapshot = new ProcWalker({ root: tree.root }).walk();
      // the translated established entries: 3 to the catalogue ClusterIP, the API server, the NodePort, 2 IPv6
      expect(snapshot.conntrack.map((e) => e.original.dport)).toEqual([80, 80, 80, 443, 30080, 80, 80]);
    } finally {
      tree.cleanup();
    }
  });

  it('becomes timescope_nat_connections with bounded labels', () => {
    const family = natFamily(
      [
        {
          sourceAddress: '10.244.1.4',
          address: '10.96.0.20',
          port: 80,
          backendAddress: '10.244.2.5',
          backendPort: 8081,
          connections: 2,
        },
      ],
      'node-1',
    );
    expect(family).toMatchObject({ name: 'timescope_nat_connections', type: 'gauge' });
    expect(family.samples).toEqual([
      {
        labels: {
          source_address: '10.244.1.4',
          address: '10.96.0.20',
          port: '80',
          backend_address: '10.244.2.5',
          backend_port: '8081',
          host: 'node-1',
        },
        value: 2,
      },
    ]);
  });
});
