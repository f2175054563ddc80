// Storage and protocol guards added after the first API tests found them missing: a site cannot be
// inserted in any status but discovered, and a non-JSON body gets a documented 415.
import { describe, it, expect, beforeEach } from 'vitest';
import { bootTestApp } from './helpers/app.ts';
import type { Harness } from './helpers/app.ts';

let h: Harness;

beforeEach(() => {
  h = bootTestApp();
});

describe('the status guard covers INSERT as well as UPDATE', () => {
  // Got: the INSERT succeeds; the site reads 'closed' with zero site_events rows.
  it('INSERT INTO sites with status closed is refused', () => {
    expect(() =>
      h.db.run(
        "INSERT INTO sites (name, category, county_code, precision, source, status, discovered_on, created_at, updated_at) VALUES ('x', 'sand_yard', '411102', 'unlocated', 'real', 'closed', '2021-01-01', 't', 't')",
      ),
    ).toThrow();
  });
});

describe('a body that is not JSON gets a documented 415', () => {
  // Got: 415 {"error":{"code":"http_error","message":"Unsupported Media Type","details":{}}}
  it('the 415 is documented on POST /sites (or the refusal is a documented 400)', async () => {
    const res = await h.request('/api/sites', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    const status = res.status;
    const doc = (await (await h.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths['/sites']!.post!.responses)).toContain(String(status));
  });
});

describe('listing after writes', () => {
  it('a cached list is never served after a write, and feature properties follow edits', async () => {
    const created = await h.send<{ id: number; properties: { version: number } }>('POST', '/api/sites', {
      name: '缓存测试料场',
      category: 'sand_yard',
      lon: 113.95,
      lat: 33.55,
      discoveredOn: '2021-01-10',
    });
    const list = async () =>
      (
        await h.get<{ features: { id: number; properties: { name: string; status: string; version: number } }[] }>('/api/sites?county=411102')
      ).body.features.find((f) => f.id === created.body.id)!;
    expect((await list()).properties.name).toBe('缓存测试料场');
    expect((await list()).properties.name).toBe('缓存测试料场');
    expect((await h.send('PATCH', `/api/sites/${created.body.id}`, { version: created.body.properties.version, name: '改名后的料场' })).status).toBe(200);
    expect((await list()).properties).toMatchObject({ name: '改名后的料场', version: 2 });
    expect((await h.send('POST', `/api/sites/${created.body.id}/events`, { to: 'rectifying', date: '2021-02-01' })).status).toBe(201);
    expect((await list()).properties).toMatchObject({ status: 'rectifying', version: 3 });
    // The site's own answer names it as the list does, its county's name with it.
    const one = await h.get<{ properties: Record<string, unknown> }>(`/api/sites/${created.body.id}`);
    expect(one.body.properties).toMatchObject({ name: '改名后的料场', countyName: '源汇区', version: 3 });
  });
});
