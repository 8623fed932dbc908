/** A Storage over a Map, as localStorage behaves within one browser: share one between controllers for a reload. */
export class MapStorage {
  readonly #items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  keys(): string[] {
    return [...this.#items.keys()];
  }
  asStorage(): Storage {
    return this as unknown as Storage;
  }
}

/** A Storage the browser refuses: reading throws as in a blocked context, writing as on a full disk. */
export const refusingStorage = {
  getItem: (): string | null => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  },
  setItem: (): void => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  },
  removeItem: (): void => undefined,
} as unknown as Storage;
