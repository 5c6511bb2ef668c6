/**
 * LoadProgressTracker with an injected clock: every `update` is stamped with the time the test
 * sets, so totals, rate and ETA are exact numbers.
 */
import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../../src/core/types.ts';
import { LoadProgressTracker, UploadProgressTracker } from '../../src/model/load-progress.ts';

function tracker(totalBytes: number): {
  events: LoadProgress[];
  at: (ms: number) => void;
  update: LoadProgressTracker['update'];
} {
  const events: LoadProgress[] = [];
  let now = 0;
  const t = new LoadProgressTracker(
    totalBytes,
    (event) => events.push(event),
    () => now,
  );
  return {
    events,
    at: (ms) => {
      now = ms;
    },
    update: (progress) => t.update(progress),
  };
}

const net = (file: string, loaded: number, total: number | undefined = undefined) => ({
  file,
  loaded,
  total,
  fromCache: false,
});

describe('LoadProgressTracker', () => {
  it('keeps totalLoaded monotone when a file restarts from 0, and ends exactly at totalBytes', () => {
    const { events, at, update } = tracker(1500);
    at(0);
    update(net('onnx/model.onnx', 400, 1000));
    at(100);
    update(net('onnx/model.onnx', 0, 1000)); // the server ignored the range: the file starts over
    at(200);
    update(net('onnx/model.onnx', 300, 1000));
    at(300);
    update(net('onnx/model.onnx', 1000, 1000));
    at(400);
    update(net('tokenizer.json', 500, 500));
    expect(events.map((e) => e.totalLoaded)).toEqual([400, 400, 400, 1000, 1500]);
    // The per-file count is passed on as the source reported it.
    expect(events.map((e) => e.loaded)).toEqual([400, 0, 300, 1000, 500]);
    expect(events.at(-1)).toMatchObject({
      phase: 'download',
      file: 'tokenizer.json',
      totalLoaded: 1500,
      totalBytes: 1500,
      etaSeconds: 0,
    });
  });

  it('never reports more than totalBytes even when files turn out larger than planned', () => {
    const { events, update } = tracker(1000);
    update(net('a', 800));
    update(net('b', 800));
    expect(events.map((e) => e.totalLoaded)).toEqual([800, 1000]);
    expect(events[1]).not.toHaveProperty('total');
  });

  it('measures the network rate over the last 3 s and derives eta = remaining / rate', () => {
    const { events, at, update } = tracker(100_000);
    at(0);
    update(net('m', 1000));
    at(1000);
    update(net('m', 3000));
    at(2000);
    update(net('m', 5000));
    at(4000);
    update(net('m', 6000));
    // One sample: no rate yet, and no ETA.
    expect(events[0]).not.toHaveProperty('bytesPerSecond');
    expect(events[0]).not.toHaveProperty('etaSeconds');
    // 2000 bytes in 1 s.
    expect(events[1]?.bytesPerSecond).toBe(2000);
    expect(events[1]?.etaSeconds).toBe((100_000 - 3000) / 2000);
    // 4000 bytes in 2 s.
    expect(events[2]?.bytesPerSecond).toBe(2000);
    // The t=0 sample is older than 3 s at t=4000: (6000 - 3000) bytes over 3 s, not 5000 over 4 s.
    expect(events[3]?.bytesPerSecond).toBe(1000);
    expect(events[3]?.etaSeconds).toBe(94);
  });

  it('does not count cached files toward the network rate, but does count them in totalLoaded', () => {
    const { events, at, update } = tracker(60_000);
    at(0);
    update(net('onnx/model.onnx', 1000));
    at(1000);
    update({ file: 'onnx/model.onnx_data', loaded: 50_000, total: 50_000, fromCache: true });
    at(2000);
    update(net('onnx/model.onnx', 3000));
    expect(events[1]).toMatchObject({ fromCache: true, totalLoaded: 51_000, bytesPerSecond: 0 });
    // A rate of 0 gives no ETA rather than Infinity.
    expect(events[1]).not.toHaveProperty('etaSeconds');
    expect(events[2]).toMatchObject({ fromCache: false, totalLoaded: 53_000, bytesPerSecond: 1000, etaSeconds: 7 });
  });

  it('does not count bytes fetched again after a restart toward the rate twice', () => {
    const { events, at, update } = tracker(10_000);
    at(0);
    update(net('m', 4000));
    at(1000);
    update(net('m', 0));
    at(2000);
    update(net('m', 5000));
    // Network bytes counted: 4000 at t=0, still 4000 at t=1000, 5000 at t=2000.
    expect(events.map((e) => e.bytesPerSecond)).toEqual([undefined, 0, 500]);
  });
});

describe('UploadProgressTracker', () => {
  it('reports each read as it comes, rising, capped at the total, and ends exactly at it', () => {
    const events: LoadProgress[] = [];
    const upload = new UploadProgressTracker(100, (event) => events.push(event));
    upload.read(30);
    upload.read(0);
    upload.read(50);
    upload.read(40); // a runtime that reads a tensor twice still never passes the total
    upload.done();
    expect(events).toEqual([
      { phase: 'upload', totalLoaded: 30, totalBytes: 100 },
      { phase: 'upload', totalLoaded: 80, totalBytes: 100 },
      { phase: 'upload', totalLoaded: 100, totalBytes: 100 },
    ]);
  });

  it('accounts for bytes handed over whole, which it cannot see read, once the session exists', () => {
    const events: LoadProgress[] = [];
    new UploadProgressTracker(64, (event) => events.push(event)).done();
    expect(events).toEqual([{ phase: 'upload', totalLoaded: 64, totalBytes: 64 }]);
  });
});
