// The deploy series (docs/metrics.md, "Deploy events"): one timestamp series per event inside the retention window
// whose value is the event's own time, an end-time series once a rollout's end is known, the ingestion counter, and
// the journal's health. Kept per event: a journal change renders that event's lines only, and a scrape after it
// joins the kept lines (no list, sort or render of every event); events ageing out are dropped once a minute.
import { DeployMetric, SelfMetric } from '@timescope/common';
import type { Collector, MetricFamily, Sample } from '../../runtime/source';
import type { Journal } from '../../journal/journal';
import { freezeFamilyWithBody } from '../../runtime/frozenFamily';
import { escapeLabelValue, formatValue, renderLabelPairs } from '../exposition';
import type { DeployEvent, DeployStatus } from '../../journal/types';
import { labelText as deployLabel } from '../../runtime/labelText';

/** docs/metrics.md: `subject` is cut at 120 characters */
export const SUBJECT_LABEL_LENGTH = 120;

const PRUNE_EVERY_MS = 60_000;
/** events per block of kept lines: a change joins its block's lines again, the other blocks' joins are reused */
const BLOCK_EVENTS = 256;

/** One event's series and their rendered lines (text: a block's lines are encoded once, when joined). */
interface EventSeries {
  lastTime: number;
  started: Sample;
  startedLine: string;
  ended?: Sample;
  endedLine?: string;
}

/** A block's joined lines and its samples, in the order first seen. */
interface Joined {
  started: Buffer;
  ended: Buffer;
  startedSamples: Sample[];
  endedSamples: Sample[];
}

/** Up to BLOCK_EVENTS events' series, in the order first seen, with their join (undefined after a change). */
interface Block {
  series: Map<string, EventSeries>;
  joined?: Joined;
}

/** The kept series in blocks: a change or an expiry re-joins one block's lines, not every event's. */
class KeptSeries {
  private readonly blockOf = new Map<string, Block>();
  private blocks: Block[] = [];

  set(id: string, s: EventSeries): void {
    let block = this.blockOf.get(id);
    if (!block) {
      block = this.blocks.at(-1);
      if (!block || block.series.size >= BLOCK_EVENTS) {
        block = { series: new Map() };
        this.blocks.push(block);
      }
      this.blockOf.set(id, block);
    }
    block.series.set(id, s);
    block.joined = undefined;
  }

  /** Drops the series whose last time is before `horizon`; returns how many. */
  dropBefore(horizon: number): number {
    let n = 0;
    for (const block of this.blocks) {
      for (const [id, s] of block.series) {
        if (s.lastTime >= horizon) continue;
        block.series.delete(id);
        block.joined = undefined;
        this.blockOf.delete(id);
        n++;
      }
    }
    if (n > 0) this.blocks = this.blocks.filter((b) => b.series.size > 0);
    return n;
  }

  /** Every series' samples and the lines in chunks (one per block), in the order first seen. */
  join(): { started: Sample[]; ended: Sample[]; startedLines: Buffer[]; endedLines: Buffer[] } {
    const joined = this.blocks.map((b) => (b.joined ??= joinBlock(b)));
    const out = {
      started: ([] as Sample[]).concat(...joined.map((j) => j.startedSamples)),
      ended: ([] as Sample[]).concat(...joined.map((j) => j.endedSamples)),
      startedLines: joined.map((j) => j.started),
      endedLines: joined.filter((j) => j.ended.length > 0).map((j) => j.ended),
    };
    return out;
  }
}

function joinBlock(block: Block): Joined {
  const startedSamples: Sample[] = [];
  const endedSamples: Sample[] = [];
  let startedLines = '';
  let endedLines = '';
  for (const s of block.series.values()) {
    startedSamples.push(s.started);
    startedLines += s.startedLine;
    if (s.ended && s.endedLine !== undefined) {
      endedSamples.push(s.ended);
      endedLines += s.endedLine;
    }
  }
  return {
    started: Buffer.from(startedLines),
    ended: Buffer.from(endedLines),
    startedSamples,
    endedSamples,
  };
}

export class DeploySeries implements Collector {
  private cached: MetricFamily[] | undefined;
  private prunedAt = 0;
  /** per event id, in the order first seen (undefined until the first scrape fills it from the journal) */
  private perEvent: KeptSeries | undefined;
  /** events ingested by this process, by namespace/workload/source/status */
  private readonly counts = new Map<string, { labels: Record<string, string>; value: number }>();

  constructor(
    private readonly journal: Journal,
    private readonly host: string,
    private readonly now: () => number = Date.now,
  ) {
    journal.subscribe((event, change) => {
      if (this.perEvent) {
        this.perEvent.set(event.id, eventSeries(event));
        this.cached = undefined;
      }
      // One increment when an event arrives (with its status then), one more when a rollout reaches its end.
      if (change === 'added' || event.status !== 'started') this.count(event, change);
    });
  }

  private readonly lastCounted = new Map<string, DeployStatus>();

  private count(e: DeployEvent, change: 'added' | 'updated'): void {
    if (change === 'updated' && this.lastCounted.get(e.id) === e.status) return;
    this.lastCounted.set(e.id, e.status);
    const labels = {
      namespace: deployLabel(e.namespace),
      workload: deployLabel(e.workload),
      source: e.source,
      status: e.status,
    };
    // label text holds no control character (labelText), so NUL separates the parts unambiguously
    const key = `${labels.namespace}\0${labels.workload}\0${labels.source}\0${labels.status}`;
    const c = this.counts.get(key);
    if (c) c.value++;
    else this.counts.set(key, { labels, value: 1 });
  }

  collect(): MetricFamily[] {
    const now = this.now();
    if (!this.perEvent) {
      this.perEvent = new KeptSeries();
      for (const e of this.journal.list()) this.perEvent.set(e.id, eventSeries(e));
      this.prunedAt = now;
    } else if (now - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = now;
      if (this.dropExpired(now) > 0) this.cached = undefined;
    }
    this.cached ??= this.join();
    return [...this.cached, this.counter(), ...this.health()];
  }

  private dropExpired(now: number): number {
    return this.perEvent?.dropBefore(now - this.journal.retentionMs) ?? 0;
  }

  /** The two per-event families from the kept series; their text is the kept lines joined, block by block. */
  private join(): MetricFamily[] {
    const { started, ended, startedLines, endedLines } = (this.perEvent ?? new KeptSeries()).join();
    return [
      freezeFamilyWithBody(
        {
          name: DeployMetric.Timestamp,
          help: 'When a deploy event started, seconds since the epoch (its own time, not the scrape time).',
          type: 'gauge',
          samples: started,
        },
        startedLines,
      ),
      freezeFamilyWithBody(
        {
          name: DeployMetric.EndTimestamp,
          help: 'When a deploy finished, seconds since the epoch, once known.',
          type: 'gauge',
          samples: ended,
        },
        endedLines,
      ),
    ];
  }

  private counter(): MetricFamily {
    return {
      name: DeployMetric.Total,
      help: 'Deploy events ingested by this exporter process, by the status they arrived with or reached.',
      type: 'counter',
      samples: [...this.counts.values()].map((c) => ({ labels: c.labels, value: c.value })),
    };
  }

  private health(): MetricFamily[] {
    const s = this.journal.stats;
    const labels = { host: this.host };
    const gauge = (name: string, help: string, value: number, type: 'gauge' | 'counter' = 'gauge'): MetricFamily => ({
      name,
      help,
      type,
      samples: [{ labels, value }],
    });
    return [
      gauge(
        SelfMetric.DeployEvents,
        'Deploy events kept in the journal (inside the retention window).',
        this.journal.size(),
      ),
      gauge(
        SelfMetric.DeployJournalWriteErrorsTotal,
        'Journal writes that failed to reach disk.',
        s.writeErrors,
        'counter',
      ),
      gauge(SelfMetric.DeployJournalCompactionsTotal, 'Journal compactions done.', s.compactions, 'counter'),
      gauge(
        SelfMetric.DeployJournalFlushesTotal,
        'Batches of journal records written and flushed to disk, one synchronous write each (appends waiting together share one).',
        this.journal.flushes(),
        'counter',
      ),
      gauge(SelfMetric.DeployJournalReplayedEvents, 'Journal records replayed at start.', s.replayed),
      gauge(SelfMetric.DeployJournalTornBytes, 'Bytes of a torn last line cut off the journal at start.', s.tornBytes),
      gauge(
        SelfMetric.DeployJournalSkippedLines,
        'Journal lines skipped at start (invalid UTF-8, malformed JSON or not an event); each is logged with its byte offset.',
        s.badLines,
      ),
    ];
  }
}

export function eventLabels(e: DeployEvent): Record<string, string> {
  return {
    id: deployLabel(e.id),
    namespace: deployLabel(e.namespace),
    workload: deployLabel(e.workload),
    kind: deployLabel(e.kind),
    revision: deployLabel(e.revision),
    source: e.source,
    author: deployLabel(e.author),
    subject: deployLabel(e.subject, SUBJECT_LABEL_LENGTH),
    url: deployLabel(e.url),
  };
}

const TIMESTAMP = DeployMetric.Timestamp;
const END_TIMESTAMP = DeployMetric.EndTimestamp;

/**
 * An event's series and their lines: the renderer's text (renderSample) for the same labels and values, with the
 * label pairs the two series share escaped once.
 */
function eventSeries(e: DeployEvent): EventSeries {
  const labels = eventLabels(e);
  const started: Sample = { labels, value: e.startedAt / 1000 };
  const pairs = renderLabelPairs(labels);
  const out: EventSeries = {
    lastTime: Math.max(e.startedAt, e.finishedAt ?? 0),
    started,
    startedLine: `${TIMESTAMP}{${pairs}} ${formatValue(started.value)}\n`,
  };
  if (e.finishedAt !== undefined && e.status !== 'started') {
    out.ended = { labels: { ...labels, status: e.status }, value: e.finishedAt / 1000 };
    out.endedLine = `${END_TIMESTAMP}{${pairs},status="${escapeLabelValue(e.status)}"} ${formatValue(out.ended.value)}\n`;
  }
  return out;
}
