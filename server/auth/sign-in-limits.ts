// How many failed sign-ins lock an account (per address) or an address, and for how long: the
// throttle of POST /api/session (server/routes/session.ts) and the lock list (server/ops/sign-in-locks.ts).
export const SIGN_IN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
