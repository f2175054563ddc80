// The signed-in user of a request as the services see it (server/services/service-context.ts).
import type { Context } from 'hono';
import { clientAddress } from '../auth/guard.ts';
import type { Actor } from '../services/service-context.ts';

export function actorOf(c: Context): Actor {
  const principal = c.get('principal');
  return { username: principal.username, role: principal.role, counties: principal.counties, address: clientAddress(c) };
}
