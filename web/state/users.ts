// Accounts, as far as the page manages them: the sign-in locks an admin may lift.
import { api, unwrap } from '../api/client.ts';
import { DATA_AFTER, useApiQuery, useWrite } from './query.ts';

/** The (account, address) pairs locked out of signing in now; only read when `enabled` (admins). */
export const useSignInLocks = (enabled: boolean) => useApiQuery(['locks'], () => unwrap(api.api.users.locks.$get()), enabled);

/** Lifts an account's sign-in locks (an audit record); the lock list and the audit trail go stale. */
export const useUnlockUser = () => useWrite((username: string) => unwrap(api.api.users[':username'].unlock.$post({ param: { username } })), DATA_AFTER.unlock);
