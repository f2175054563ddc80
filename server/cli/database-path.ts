// The database file the command-line tools work on: SANSAN_DB (relative to the project), default data/sansan.db.
import { resolve } from 'node:path';

export const databasePath = (env: NodeJS.ProcessEnv = process.env) => resolve(import.meta.dirname, '../..', env.SANSAN_DB ?? 'data/sansan.db');
