// Work nobody waits for yet (the map index thread's start-up warm-up) gives way to a request being
// answered on another thread. On 2 cores the warm-up (read every located site, cluster them: ~1 s of
// CPU at 10^5 sites) ran at normal priority beside the analysis thread, which runs at nice 10
// (db/threads.ts): the first relapse call after a start waited for the warm-up's core. Now the
// warm-up runs in slices and, between them, waits while an analysis job is in flight — unless a map
// request is queued behind it on its thread (that request needs what the warm-up builds, so it goes
// on at once). The answers are the same: only when the warm-up's work runs changes.
//
// One SharedArrayBuffer, made on the request thread and sent with each warm-up task: [0] the analysis
// jobs in flight, [1] the map requests sent to the index thread and not yet answered.
const FOREGROUND = 0;
const MAP_WAITING = 1;

let shared: Int32Array | null = null;
const counters = (): Int32Array => (shared ??= new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)));

/** The buffer a warm-up task takes with it (request thread). */
export const giveWayBuffer = (): SharedArrayBuffer => counters().buffer as SharedArrayBuffer;

function hold(at: number): () => void {
  const state = counters();
  Atomics.add(state, at, 1);
  Atomics.notify(state, FOREGROUND);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    Atomics.sub(state, at, 1);
    Atomics.notify(state, FOREGROUND);
  };
}

/** Marks an analysis job in flight (request thread); the returned function marks it answered. */
export const holdForeground = (): (() => void) => hold(FOREGROUND);

/** Marks a map request sent to the index thread (request thread); the returned function marks it answered. */
export const holdMapRequest = (): (() => void) => hold(MAP_WAITING);

/** Longest single wait (ms) before the counters are read again (a missed wake-up costs at most this). */
const RECHECK_MS = 50;

/**
 * Called by the warm-up between slices (on its thread): returns at once unless an analysis job is in
 * flight and no map request waits, else when that is no longer so.
 */
export function giveWay(buffer: SharedArrayBuffer): void {
  const state = new Int32Array(buffer);
  for (;;) {
    const foreground = Atomics.load(state, FOREGROUND);
    if (foreground === 0 || Atomics.load(state, MAP_WAITING) > 0) return;
    Atomics.wait(state, FOREGROUND, foreground, RECHECK_MS);
  }
}

/**
 * Whether background work that yields between slices by itself (the as-of histories' build on the
 * counts thread: store/as-of-statuses.ts) should wait now: an analysis job is in flight, or a map
 * request on the index thread (a pan/zoom tile, an as-of /api/counties counted by SQL meanwhile) —
 * the build would take a core from it on 2 cores.
 */
export const othersBusy = (buffer: SharedArrayBuffer): boolean => {
  const state = new Int32Array(buffer);
  return Atomics.load(state, FOREGROUND) > 0 || Atomics.load(state, MAP_WAITING) > 0;
};

/** Whether a map request sent to the index thread waits now (the warm-up there then stops a county's read: map-index.ts). */
export const mapRequestWaiting = (buffer: SharedArrayBuffer): boolean => Atomics.load(new Int32Array(buffer), MAP_WAITING) > 0;
