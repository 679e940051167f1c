// In-memory JsonStorage and SecretStore for tests and benchmarks that do not exercise persistence.
import type { JsonStorage, SecretStore } from '../../src-main/client';

export class MemoryJsonStorage implements JsonStorage {
  private value: string | null = null;
  async load(): Promise<unknown | null> {
    return this.value === null ? null : (JSON.parse(this.value) as unknown);
  }
  async save(value: unknown): Promise<void> {
    this.value = JSON.stringify(value);
  }
}

/** In-process secret store (nothing is written to disk). */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
