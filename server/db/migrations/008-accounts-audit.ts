// 008: accounts (users, their counties, sessions) and the tamper-evident audit trail.
// Passwords are kept only as scrypt hashes, sessions only as SHA-256 hashes of their tokens.
// audit_log is append-only: triggers refuse UPDATE and DELETE, and each record carries the hash of
// the one before it (server/auth/audit.ts), so an edit made behind the server's back shows up in
// GET /api/audit/verify. prev_hash is UNIQUE: two writers can never fork the chain.
export const sql = /* sql */ `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 2 AND 50),
  role TEXT NOT NULL CHECK (role IN ('admin', 'county', 'inspector', 'planner', 'viewer')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE user_counties (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  county_code TEXT NOT NULL CHECK (length(county_code) = 6),
  PRIMARY KEY (user_id, county_code)
) WITHOUT ROWID;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT,
  role TEXT,
  address TEXT,
  action TEXT NOT NULL,
  target TEXT,
  counties TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(counties)),
  before TEXT,
  after TEXT,
  prev_hash TEXT NOT NULL UNIQUE CHECK (length(prev_hash) = 64),
  hash TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE INDEX audit_log_action_at ON audit_log(action, at);
CREATE INDEX audit_log_target ON audit_log(target);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit records cannot be changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit records cannot be deleted'); END;
`;
