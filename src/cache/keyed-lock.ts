/**
 * Runs tasks one at a time per name, in the order they asked; different names run side by side.
 * The disk store takes a key's lock around everything it does to that key's index line, and a
 * content's lock around writing or removing that content, so no step sees another's half-done work.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(name: string, task: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.#tails.set(name, tail);
    await before;
    try {
      return await task();
    } finally {
      release();
      // The last one out forgets the name, so the map holds only names in use.
      if (this.#tails.get(name) === tail) this.#tails.delete(name);
    }
  }
}
