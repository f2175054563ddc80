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
    const res = await h.app.request('/api/sites', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    const status = res.status;
    const doc = (await (await h.app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths['/sites']!.post!.responses)).toContain(String(status));
  });
});
