// Test support: a fresh, fully migrated in-memory console database per call.
import { migrate, openSqlite, type DB } from '@/lib/db';

export async function memoryDb(): Promise<DB> {
  const db = openSqlite(':memory:');
  await migrate(db);
  return db;
}
