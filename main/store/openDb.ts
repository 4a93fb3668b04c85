/**
 * Opens the SQLite database in WAL mode with the pragmas every connection needs.
 * Owns connection setup only; schema lives in `migrations/`, rows in the repositories.
 */
import Database from 'better-sqlite3'

export type Db = Database.Database

export function openDb(file: string): Db {
  const db = new Database(file)
  if (file !== ':memory:') db.pragma('journal_mode = WAL')
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}
