// Fetches the map's cluster tiles off the page's main thread (web/state/map.ts asks it). While the
// map draws, the main thread is busy frame after frame; a fetch there needs a turn for its headers
// and another for its body, each waiting for a frame to end. Here the request, its body and the JSON
// parse run beside the drawing, and the page gets the parsed tile in one message.

/** The page asks a tile. */
export type TileWorkerRequest = { id: number; url: string };
/** A tile's answer: its status and parsed JSON body, or why there is none (a network error). */
export type TileWorkerAnswer = { id: number; status: number; body: unknown } | { id: number; failed: string };

self.onmessage = (event: MessageEvent<TileWorkerRequest>) => {
  const request = event.data;
  void (async () => {
    let answer: TileWorkerAnswer;
    try {
      const response = await fetch(request.url, { credentials: 'same-origin' });
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      answer = { id: request.id, status: response.status, body };
    } catch (error) {
      answer = { id: request.id, failed: error instanceof Error ? error.message : String(error) };
    }
    self.postMessage(answer);
  })();
};
