// [west, south, east, north] round every position of GeoJSON coordinates (any nesting depth).
export type Bbox = [number, number, number, number];

export function bboxOf(coordinates: unknown, box: Bbox = [Infinity, Infinity, -Infinity, -Infinity]): Bbox {
  if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') {
    box[0] = Math.min(box[0], coordinates[0] as number);
    box[1] = Math.min(box[1], coordinates[1] as number);
    box[2] = Math.max(box[2], coordinates[0] as number);
    box[3] = Math.max(box[3], coordinates[1] as number);
  } else if (Array.isArray(coordinates)) for (const part of coordinates) bboxOf(part, box);
  return box;
}
