// Heavy work on the request thread (reading and judging a large ledger) goes in batches, letting
// the event loop answer other requests between them.

/** Resolves after the event loop has run what is waiting (timers, sockets): await it between batches. */
export const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
