/**
 * The last good model catalogue of each provider, kept across reloads so that Settings can show a list offline
 * ("Models as of …"). It lives in its own small database so the conversations' schema is not touched, and in memory
 * alone when the browser refuses IndexedDB.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Catalogue, CatalogueCache, CatalogueModel } from '../domain/catalogue.js';

export const CATALOGUE_DB_NAME = 'mistral-chat-catalogues';
const STORE = 'catalogues';

interface CatalogueDBSchema extends DBSchema {
  [STORE]: { key: string; value: Catalogue };
}

const SOURCES: ReadonlySet<unknown> = new Set(['router', 'hub', 'endpoint']);

function isModel(value: unknown): value is CatalogueModel {
  if (typeof value !== 'object' || value === null) return false;
  const model = value as Partial<CatalogueModel>;
  return typeof model.id === 'string' && typeof model.live === 'boolean' && Array.isArray(model.providers);
}

/** A record written by another version of the app may have another shape: such a record counts as none. */
function asCatalogue(value: unknown): Catalogue | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<Catalogue>;
  const valid =
    SOURCES.has(record.source) &&
    typeof record.origin === 'string' &&
    typeof record.fetchedAt === 'number' &&
    Array.isArray(record.models) &&
    record.models.every(isModel);
  return valid ? (record as Catalogue) : undefined;
}

export class MemoryCatalogueCache implements CatalogueCache {
  readonly #entries = new Map<string, Catalogue>();

  read(key: string): Promise<Catalogue | undefined> {
    return Promise.resolve(this.#entries.get(key));
  }

  write(key: string, catalogue: Catalogue): Promise<void> {
    this.#entries.set(key, catalogue);
    return Promise.resolve();
  }
}

/**
 * Opens on first use. When IndexedDB cannot be opened (private windows, blocked site data) or a write fails, the
 * catalogue is kept in memory for this tab instead: the cache only saves a look-up, so it never reports a failure.
 */
export class IdbCatalogueCache implements CatalogueCache {
  readonly #name: string;
  readonly #memory = new MemoryCatalogueCache();
  #db: Promise<IDBPDatabase<CatalogueDBSchema> | undefined> | undefined;

  constructor(options: { name?: string } = {}) {
    this.#name = options.name ?? CATALOGUE_DB_NAME;
  }

  async read(key: string): Promise<Catalogue | undefined> {
    const inMemory = await this.#memory.read(key);
    if (inMemory) return inMemory;
    const db = await this.#open();
    try {
      return asCatalogue(await db?.get(STORE, key));
    } catch {
      return undefined;
    }
  }

  async write(key: string, catalogue: Catalogue): Promise<void> {
    await this.#memory.write(key, catalogue);
    const db = await this.#open();
    try {
      await db?.put(STORE, catalogue, key);
    } catch {
      // Full or refused: this tab still has the list in memory.
    }
  }

  /** Closes the database, so that a test can delete it. */
  async close(): Promise<void> {
    (await this.#db)?.close();
    this.#db = undefined;
  }

  #open(): Promise<IDBPDatabase<CatalogueDBSchema> | undefined> {
    // `openDB` throws at once where IndexedDB is missing or denied: inside `then`, that is a rejection like the others.
    this.#db ??= Promise.resolve()
      .then(() =>
        openDB<CatalogueDBSchema>(this.#name, 1, {
          upgrade: (db) => {
            db.createObjectStore(STORE);
          },
          // A newer app in another tab wants to upgrade this database: let it, and keep lists in memory meanwhile.
          blocking: () => void this.close(),
        }),
      )
      .catch(() => undefined);
    return this.#db;
  }
}
