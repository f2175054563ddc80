// 007: progress notes on the plan's tasks (who, when, text).
export const sql = /* sql */ `
CREATE TABLE task_notes (
  id INTEGER PRIMARY KEY,
  task_number INTEGER NOT NULL REFERENCES tasks(number),
  author TEXT NOT NULL,
  text TEXT NOT NULL CHECK (length(trim(text)) > 0),
  created_at TEXT NOT NULL
);
CREATE INDEX task_notes_task ON task_notes(task_number, id);
`;
