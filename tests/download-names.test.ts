// Downloads speak Chinese: KML layers (folders) of the site, road and route files are Chinese as GDAL
// lists them, and a route file is named by the route and its date (RFC 5987 filename* with an ASCII
// fallback). The siege CSV's headers and name are checked in tests/api-siege.test.ts.
import { describe, it, expect, beforeEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATUS_LABELS } from '../domain/statuses.ts';
import { ROUTE_KML_FOLDERS } from '../server/geo/route-export.ts';
import { bootTestApp, buildFixture, type Harness } from './helpers/app.ts';

let h: Harness;
beforeEach(async () => {
  h = bootTestApp();
  await buildFixture(h);
});

const CHINESE = /[\u4e00-\u9fff]/;
const dir = mkdtempSync(join(tmpdir(), 'sansan-kml-'));

/** The layer names `ogrinfo` lists for a KML file. */
function kmlLayers(name: string, text: string): string[] {
  const file = join(dir, name);
  writeFileSync(file, text, 'utf8');
  return execFileSync('ogrinfo', ['-ro', '-q', file], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\d+: (.+?)(?: \([^()]*\))?$/.exec(line.trim())?.[1])
    .filter((layer): layer is string => layer !== undefined);
}

/** [ASCII fallback, UTF-8 name] of a download's Content-Disposition. */
function fileNames(res: Response): [string, string] {
  const disposition = res.headers.get('content-disposition')!;
  return [/filename="([^"]+)"/.exec(disposition)![1]!, decodeURIComponent(/filename\*=UTF-8''(\S+)$/.exec(disposition)![1]!)];
}

describe('Chinese names in downloads', () => {
  it('site and road KML: GDAL lists Chinese layers, one per status', async () => {
    const sites = await h.request('/api/export?format=kml');
    expect(sites.status).toBe(200);
    const siteLayers = kmlLayers('sites.kml', await sites.text());
    expect(siteLayers.length).toBeGreaterThan(1);
    for (const layer of siteLayers) expect(layer).toMatch(CHINESE);
    expect(siteLayers.map((layer) => layer.replace(/（\d+）$/, '')).every((label) => Object.values(STATUS_LABELS).includes(label as never))).toBe(true);

    const drawn = await h.send('POST', '/api/roads', {
      roadName: '测试路',
      severity: 'minor',
      reportedOn: '2021-01-05',
      geometry: {
        type: 'LineString',
        coordinates: [
          [113.94, 33.55],
          [113.96, 33.55],
        ],
      },
    });
    expect(drawn.status, drawn.text).toBe(201);
    const roads = await h.request('/api/export?format=kml&layer=roads');
    expect(kmlLayers('roads.kml', await roads.text())).toEqual(['已上报（1）']);
  });

  it('route KML: GDAL lists 巡查点位 and 巡查路线; the file is named by the route and its date', async () => {
    const planned = await h.send<unknown>('POST', '/api/routes/plan', { rule: { kind: 'relapsed' }, start: { lon: 114.02, lat: 33.58 } });
    expect(planned.status, planned.text).toBe(200);
    const saved = await h.send<{ id: number; createdAt: string }>('POST', '/api/routes', { name: '十二月复燃巡查', plan: planned.body });
    expect(saved.status, saved.text).toBe(201);
    const kml = await h.request(`/api/routes/${saved.body.id}.kml`);
    expect(kml.status).toBe(200);
    const date = saved.body.createdAt.slice(0, 10);
    expect(fileNames(kml)).toEqual([`route-${saved.body.id}_${date}.kml`, `巡查路线_十二月复燃巡查_${date}.kml`]);
    expect(kmlLayers('route.kml', await kml.text())).toEqual([ROUTE_KML_FOLDERS.stops, ROUTE_KML_FOLDERS.path]);
    expect(Object.values(ROUTE_KML_FOLDERS).every((name) => CHINESE.test(name) && !/[A-Za-z]/.test(name))).toBe(true);
    expect(fileNames(await h.request(`/api/routes/${saved.body.id}.gpx`))[1]).toBe(`巡查路线_十二月复燃巡查_${date}.gpx`);
  });
});
