import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@timescope/common/testing';
import type { Logger } from '../../runtime/source';
import { Journal } from '../../journal/journal';
import { GrafanaPush } from './grafanaPush';

const logger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Received {
  method: string;
  path: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

/** A stand-in for Grafana's annotation API that records every request; the first `failures` answers are 503. */
function recordingGrafana(failures: number): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  let nextId = 41;
  let toFail = failures;
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        auth: req.headers.authorization,
        body: JSON.parse(data),
      });
      if (toFail-- > 0) {
        res.writeHead(503).end('try later');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(
          req.method === 'POST' ? { id: ++nextId, message: 'Annotation added' } : { message: 'Annotation patched' },
        ),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }),
    ),
  );
}

describe('GrafanaPush', () => {
  let dir: string;
  let grafana: Awaited<ReturnType<typeof recordingGrafana>>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'timescope-grafana-'));
    grafana = await recordingGrafana(2);
  });
  afterEach(async () => {
    await new Promise((r) => grafana.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (): Promise<Journal> => {
    const j = new Journal({ file: join(dir, 'deploys.jsonl'), retentionMs: 365 * 86_400_000, logger });
    await j.open();
    return j;
  };

  it('posts each event once with retries, patches the end time in, and posts nothing again after a restart', async () => {
    const journal = await open();
    const push = new GrafanaPush({
      url: grafana.url + '/',
      token: 'glsa_test',
      journal,
      logger,
      minBackoffMs: 5,
      maxBackoffMs: 20,
    });
    push.start();
    const started = Date.now() - 60_000;
    const { id } = await journal.append({
      source: 'github',
      namespace: 'shop',
      workload: 'carts',
      kind: 'Deployment',
      revision: '0123456789abcdef0123',
      author: 'alice',
      subject: 'carts <b>1.4</b>',
      url: 'https://ci.example.org/run/9',
      status: 'started',
      startedAt: started,
    });
    await waitFor('the annotation id in the journal', async () => journal.get(id)?.annotation);
    expect(grafana.received.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']); // two 503s, then accepted
    const post = grafana.received[2];
    expect(post.path).toBe('/api/annotations');
    expect(post.auth).toBe('Bearer glsa_test');
    expect(post.body).toEqual({
      time: started,
      tags: ['timescope', 'namespace:shop', 'workload:carts', 'source:github'],
      text: expect.stringContaining('carts &#60;b&#62;1.4&#60;/b&#62;'),
    });
    expect(post.body.text).toContain('https://ci.example.org/run/9');
    const annotationId = journal.get(id)?.annotation?.id;

    await journal.update(id, { status: 'succeeded', finishedAt: started + 30_000 });
    await waitFor('the PATCH', async () => grafana.received.length === 4);
    await push.idle();
    expect(grafana.received[3]).toMatchObject({
      method: 'PATCH',
      path: `/api/annotations/${annotationId}`,
      body: { time: started, timeEnd: started + 30_000 },
    });
    await push.stop();
    await journal.close();

    const again = await open();
    const push2 = new GrafanaPush({ url: grafana.url, journal: again, logger, minBackoffMs: 5 });
    push2.start();
    await push2.idle();
    await push2.stop();
    expect(grafana.received).toHaveLength(4);
    expect(push.stats).toEqual({ posted: 1, patched: 1, failures: 2 });
    await again.close();
  });

  it('never makes an append wait for Grafana', async () => {
    const journal = await open();
    // nothing listens on this port: every push fails
    const push = new GrafanaPush({ url: 'http://127.0.0.1:1', journal, logger, minBackoffMs: 60_000 });
    push.start();
    for (let i = 0; i < 20; i++) {
      await journal.append({
        source: 'api',
        namespace: 'shop',
        workload: `w${i}`,
        kind: '',
        revision: 'r1',
        author: '',
        subject: '',
        url: '',
        status: 'succeeded',
        startedAt: Date.now(),
      });
    }
    expect(journal.size()).toBe(20);
    expect(push.pending()).toBe(20);
    await push.stop();
    await journal.close();
  });
});
