import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

// One SQLite file holds keyscope's state: blob cache, lookup cache, org scan state, findings, audit.
// Each feature registers its own migration; they run once, in registration order, inside a transaction.

export type Db = Database.Database;

interface Migration {
  name: string;
  sql: string;
}

const migrations: Migration[] = [];

export function registerMigration(name: string, sql: string): void {
  if (!migrations.some((m) => m.name === name)) migrations.push({ name, sql });
}

const open = new Map<string, Db>();

/** Opens (and migrates) the database at `file`, creating its folder. The same file opens once per process. */
export function openDb(file: string): Db {
  const abs = file === ':memory:' ? file : path.resolve(file);
  const existing = open.get(abs);
  if (existing?.open) {
    migrate(existing);
    return existing;
  }
  if (abs !== ':memory:') mkdirSync(path.dirname(abs), { recursive: true });
  const db = new Database(abs);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  migrate(db);
  if (abs !== ':memory:') open.set(abs, db);
  return db;
}

function migrate(db: Db): void {
  const done = new Set((db.prepare('SELECT name FROM _migrations').all() as { name: string }[]).map((r) => r.name));
  const apply = db.transaction((m: Migration) => {
    db.exec(m.sql);
    db.prepare('INSERT INTO _migrations (name, applied_at) VALUES (?, ?)').run(m.name, new Date().toISOString());
  });
  for (const m of migrations) if (!done.has(m.name)) apply(m);
}

export function closeAll(): void {
  for (const db of open.values()) if (db.open) db.close();
  open.clear();
}
