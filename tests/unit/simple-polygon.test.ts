// The n log n simplicity check that replaced turf's quadratic booleanValid + kinks for siege cores.
import { describe, expect, it } from 'vitest';
import { polygonProblem } from '../../server/geo/simple-polygon.ts';
import { resolveSiegeOptions } from '../../server/geo/siege-options.ts';

type Ring = [number, number][];
const square: Ring = [
  [0, 0],
  [4, 0],
  [4, 4],
  [0, 4],
  [0, 0],
];

describe('polygonProblem', () => {
  it('accepts a square, a square with a hole, a concave comb and a clockwise ring', () => {
    expect(polygonProblem('Polygon', [square])).toBeNull();
    expect(
      polygonProblem('Polygon', [
        square,
        [
          [1, 1],
          [1, 3],
          [3, 3],
          [3, 1],
          [1, 1],
        ],
      ]),
    ).toBeNull();
    expect(
      polygonProblem('Polygon', [
        [
          [0, 0],
          [6, 0],
          [6, 3],
          [5, 3],
          [5, 1],
          [4, 1],
          [4, 3],
          [3, 3],
          [3, 1],
          [2, 1],
          [2, 3],
          [0, 3],
          [0, 0],
        ],
      ]),
    ).toBeNull();
    expect(polygonProblem('Polygon', [[...square].reverse()])).toBeNull();
    expect(
      polygonProblem('MultiPolygon', [
        [square],
        [
          [
            [10, 0],
            [12, 0],
            [12, 2],
            [10, 0],
          ],
        ],
      ]),
    ).toBeNull();
  });

  it('finds a bow tie and where it crosses', () => {
    expect(
      polygonProblem('Polygon', [
        [
          [0, 0],
          [4, 4],
          [4, 0],
          [0, 4],
          [0, 0],
        ],
      ]),
    ).toEqual({ reason: 'self_crossing', at: [2, 2] });
  });

  it('finds a ring that touches itself at a vertex, and a vertex on another edge', () => {
    // Two triangles joined at (2, 2): the ring passes that vertex twice.
    expect(
      polygonProblem('Polygon', [
        [
          [0, 0],
          [2, 2],
          [4, 0],
          [4, 4],
          [2, 2],
          [0, 4],
          [0, 0],
        ],
      ]),
    ).toMatchObject({ reason: 'self_crossing', at: [2, 2] });
    // The vertex (2, 0) lies on the edge from (0, 0) to (4, 0) without being one of its ends.
    expect(
      polygonProblem('Polygon', [
        [
          [0, 0],
          [4, 0],
          [4, 4],
          [2, 0],
          [0, 4],
          [0, 0],
        ],
      ]),
    ).toMatchObject({ reason: 'self_crossing', at: [2, 0] });
  });

  it('finds a spike folding back over its own edge', () => {
    expect(
      polygonProblem('Polygon', [
        [
          [0, 0],
          [4, 0],
          [6, 0],
          [5, 0],
          [4, 4],
          [0, 0],
        ],
      ]),
    ).toMatchObject({ reason: 'self_crossing' });
  });

  it('refuses open and short rings, holes outside the shell, crossing holes and overlapping parts', () => {
    expect(
      polygonProblem('Polygon', [
        [
          [0, 0],
          [4, 0],
          [4, 4],
          [0, 0.5],
        ],
      ]),
    ).toMatchObject({ why: 'ring_not_closed' });
    expect(
      polygonProblem('Polygon', [
        [
          [0, 0],
          [4, 0],
          [0, 0],
        ],
      ]),
    ).toMatchObject({ why: 'ring_too_short' });
    expect(
      polygonProblem('Polygon', [
        [
          [0, 0],
          ['4', 0],
          [4, 4],
          [0, 0],
        ],
      ]),
    ).toMatchObject({ why: 'bad_position' });
    expect(
      polygonProblem('Polygon', [
        square,
        [
          [5, 5],
          [6, 5],
          [6, 6],
          [5, 5],
        ],
      ]),
    ).toMatchObject({ why: 'hole_outside' });
    expect(
      polygonProblem('Polygon', [
        square,
        [
          [3, 1],
          [5, 1],
          [5, 3],
          [3, 1],
        ],
      ]),
    ).toMatchObject({ reason: 'self_crossing' });
    expect(
      polygonProblem('MultiPolygon', [
        [square],
        [
          [
            [1, 1],
            [2, 1],
            [2, 2],
            [1, 1],
          ],
        ],
      ]),
    ).toMatchObject({ why: 'parts_overlap' });
  });

  it('counts positions before any geometry work', () => {
    const ring: Ring = Array.from({ length: 200 }, (_, i) => [Math.cos((i / 200) * 2 * Math.PI), Math.sin((i / 200) * 2 * Math.PI)]);
    ring.push(ring[0]!);
    expect(polygonProblem('Polygon', [ring])).toBeNull();
    expect(polygonProblem('Polygon', [ring], 100)).toEqual({ reason: 'too_many', what: 'positions', maximum: 100, count: 201 });
  });

  it('judges a many-sided star-shaped ring like the quadratic check it replaced', () => {
    // A 2,000-point star with one pair of spikes crossed: the sweep must find it among many near-parallel edges.
    const star: Ring = Array.from({ length: 2000 }, (_, i) => {
      const r = i % 2 ? 1 : 2;
      const a = (i / 2000) * 2 * Math.PI;
      return [r * Math.cos(a), r * Math.sin(a)];
    });
    expect(polygonProblem('Polygon', [[...star, star[0]!]])).toBeNull();
    const crossed = [...star];
    [crossed[700], crossed[710]] = [crossed[710]!, crossed[700]!];
    expect(polygonProblem('Polygon', [[...crossed, crossed[0]!]])).toMatchObject({ reason: 'self_crossing' });
  });
});

describe('siege core options use it', () => {
  const core = (coordinates: unknown) => ({ core: { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates } } }) as never;
  it('names the reason for a bow tie and passes a square', () => {
    expect(() => resolveSiegeOptions(core([square]))).not.toThrow();
    expect(() =>
      resolveSiegeOptions(
        core([
          [
            [0, 0],
            [4, 4],
            [4, 0],
            [0, 4],
            [0, 0],
          ],
        ]),
      ),
    ).toThrow(expect.objectContaining({ problem: expect.objectContaining({ reason: 'self_crossing' }) }));
  });
});
