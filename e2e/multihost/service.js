// A stand-in microservice for the multi-host test: named by its process title (so its process key is
// `<name>[<port>]`), it listens on a port and keeps a given number of TCP connections open to each target,
// reconnecting when one drops. Usage: node service.js NAME LISTEN_PORT|- [HOST:PORT:COUNT ...]
const net = require('node:net');

const [name, listen, ...targets] = process.argv.slice(2);
process.title = name;
const held = new Set();

if (listen && listen !== '-') {
  net
    .createServer((s) => {
      held.add(s);
      s.on('error', () => {});
      s.on('close', () => held.delete(s));
    })
    .listen(Number(listen), '0.0.0.0');
}

function connect(host, port) {
  const s = net.connect({ host, port });
  held.add(s);
  s.on('error', () => {});
  s.on('close', () => {
    held.delete(s);
    setTimeout(() => connect(host, port), 200);
  });
}

for (const t of targets) {
  const [host, port, count] = t.split(':');
  for (let i = 0; i < Number(count); i++) connect(host, Number(port));
}
process.on('SIGTERM', () => process.exit(0));
