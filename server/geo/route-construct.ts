// Construction heuristics for a shortest Hamiltonian path with fixed ends (see route-search.ts).
// Nodes are 0 … size-1; node 0 is the fixed first node and node size-1 the fixed last node.

/** Sum of the legs of a tour (an array of node numbers in visiting order). */
export function pathCost(distance: Float64Array, size: number, tour: Int32Array): number {
  let total = 0;
  for (let position = 1; position < tour.length; position++) total += distance[tour[position - 1]! * size + tour[position]!]!;
  return total;
}

/** Nearest neighbour from the first node; the last node is appended at the end. O(size²). */
export function nearestNeighbourTour(distance: Float64Array, size: number): Int32Array {
  const tour = new Int32Array(size);
  const visited = new Uint8Array(size);
  const last = size - 1;
  visited[0] = 1;
  visited[last] = 1;
  let current = 0;
  for (let position = 1; position < last; position++) {
    let best = -1;
    let bestKm = Infinity;
    const row = current * size;
    for (let node = 1; node < last; node++)
      if (!visited[node] && distance[row + node]! < bestKm) {
        bestKm = distance[row + node]!;
        best = node;
      }
    tour[position] = best;
    visited[best] = 1;
    current = best;
  }
  tour[last] = last;
  return tour;
}

/**
 * Cheapest insertion: start from the leg first → last and repeatedly insert the node whose best
 * insertion adds least. Each waiting node remembers its best leg (by the leg's first node); an
 * insertion only re-scans the nodes whose remembered leg was the one just split. Near O(size²).
 */
export function cheapestInsertionTour(distance: Float64Array, size: number): Int32Array {
  const last = size - 1;
  const next = new Int32Array(size).fill(-1);
  next[0] = last;
  const waiting: number[] = [];
  for (let node = 1; node < last; node++) waiting.push(node);
  const bestAdd = new Float64Array(size);
  const bestFrom = new Int32Array(size);
  const addCost = (node: number, from: number): number => {
    const to = next[from]!;
    return distance[from * size + node]! + distance[node * size + to]! - distance[from * size + to]!;
  };
  const rescan = (node: number): void => {
    let best = Infinity;
    let bestLeg = 0;
    for (let from = 0; from !== last; from = next[from]!) {
      const cost = addCost(node, from);
      if (cost < best) {
        best = cost;
        bestLeg = from;
      }
    }
    bestAdd[node] = best;
    bestFrom[node] = bestLeg;
  };
  for (const node of waiting) rescan(node);
  while (waiting.length > 0) {
    let pick = 0;
    for (let index = 1; index < waiting.length; index++) if (bestAdd[waiting[index]!]! < bestAdd[waiting[pick]!]!) pick = index;
    const node = waiting[pick]!;
    waiting[pick] = waiting[waiting.length - 1]!;
    waiting.pop();
    const from = bestFrom[node]!;
    next[node] = next[from]!;
    next[from] = node;
    for (const other of waiting) {
      if (bestFrom[other] === from) {
        rescan(other);
        continue;
      }
      for (const leg of [from, node]) {
        const cost = addCost(other, leg);
        if (cost < bestAdd[other]!) {
          bestAdd[other] = cost;
          bestFrom[other] = leg;
        }
      }
    }
  }
  const tour = new Int32Array(size);
  for (let position = 0, node = 0; position < size; position++, node = next[node]!) tour[position] = node;
  return tour;
}
