// The map's start-up warm-up gives way to analysis jobs (server/db/give-way.ts): a thread calling giveWay
// passes at once when no job is in flight, waits while one is, and goes on when the job is answered or
// when a map request is queued behind it. The waiting side runs on a worker thread, as the map's does.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { giveWayBuffer, holdForeground, holdMapRequest, othersBusy } from '../../server/db/give-way.ts';

const MODULE = new URL('../../server/db/give-way.ts', import.meta.url).pathname;
/** The waiting thread: loads give-way.ts through tsx's CommonJS hook, says it is ready, calls giveWay once (as the warm-up does between slices), then says it passed. */
const WAITER = `require('tsx/cjs');
const { parentPort, workerData } = require('node:worker_threads');
const { giveWay } = require(workerData.module);
parentPort.postMessage('ready');
giveWay(workerData.buffer);
parentPort.postMessage('passed');`;

/** A worker thread calling giveWay: `ready` resolves just before its call, `passed` once the call returned. */
async function waiter(): Promise<{ passed: Promise<void>; hasPassed: () => boolean; stop: () => Promise<number> }> {
  const worker = new Worker(WAITER, { eval: true, workerData: { module: MODULE, buffer: giveWayBuffer() } });
  let done = false;
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const passed = new Promise<void>((resolve, reject) => {
    worker.on('message', (message) => {
      if (message === 'ready') return ready();
      done = true;
      resolve();
    });
    worker.once('error', reject);
  });
  await isReady;
  return { passed, hasPassed: () => done, stop: () => worker.terminate() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const releases: (() => void)[] = [];
afterEach(() => releases.splice(0).forEach((release) => release()));

describe('giving way to analysis jobs', () => {
  it('passes at once when no analysis job is in flight', async () => {
    const thread = await waiter();
    await thread.passed;
    await thread.stop();
  });

  it('waits while an analysis job is in flight and goes on when it is answered', async () => {
    const answered = holdForeground();
    releases.push(answered);
    const thread = await waiter();
    await sleep(300); // it would have passed by now
    expect(thread.hasPassed()).toBe(false);
    answered();
    await thread.passed;
    await thread.stop();
  });

  it('goes on while a job is in flight when a map request waits behind it', async () => {
    releases.push(holdForeground());
    const thread = await waiter();
    await sleep(300);
    expect(thread.hasPassed()).toBe(false);
    const answered = holdMapRequest();
    releases.push(answered);
    await thread.passed;
    await thread.stop();
  });

  it('counts each job: waits until the last of two is answered', async () => {
    const first = holdForeground();
    const second = holdForeground();
    releases.push(first, second);
    const thread = await waiter();
    first();
    first(); // a second call of the same release counts once
    await sleep(300);
    expect(thread.hasPassed()).toBe(false);
    second();
    await thread.passed;
    await thread.stop();
  });
});

describe('background work that yields by itself (the as-of histories’ build)', () => {
  it('waits while an analysis job or an index-thread map request is in flight, and not otherwise', () => {
    const buffer = giveWayBuffer();
    expect(othersBusy(buffer)).toBe(false);
    const job = holdForeground();
    releases.push(job);
    expect(othersBusy(buffer)).toBe(true);
    job();
    expect(othersBusy(buffer)).toBe(false);
    const request = holdMapRequest();
    releases.push(request);
    expect(othersBusy(buffer)).toBe(true);
    request();
    expect(othersBusy(buffer)).toBe(false);
  });
});
