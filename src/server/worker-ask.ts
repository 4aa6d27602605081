import type { Worker } from 'node:cluster';

/** What the primary asks every worker (the answer comes back as `os:answer` with the same id). */
export type Question = { readonly what: 'readyz' } | { readonly what: 'cache-stats' } | { readonly what: 'cache-purge'; readonly body: unknown };
export type AskMessage = { readonly type: 'os:ask'; readonly id: number; readonly question: Question };
export type AnswerMessage = { readonly type: 'os:answer'; readonly id: number; readonly value: unknown };

/**
 * Questions from the primary to its workers over the cluster IPC channel: one id per question,
 * each worker's answer (or undefined when it gives none in time) collected by worker.
 */
export class WorkerAsk {
  #id = 0;
  readonly #pending = new Map<number, Map<number, (v: unknown) => void>>();

  /** The primary's `cluster.on('message')` hands answers here. */
  answered(worker: Worker, msg: AnswerMessage): void {
    this.#pending.get(msg.id)?.get(worker.id)?.(msg.value);
  }

  async ask(workers: readonly Worker[], question: Question, timeoutMs = 5000): Promise<Array<readonly [number | undefined, unknown]>> {
    const id = ++this.#id;
    const waiting = new Map<number, (v: unknown) => void>();
    this.#pending.set(id, waiting);
    try {
      return await Promise.all(
        workers.map(
          (w) =>
            new Promise<readonly [number | undefined, unknown]>((resolve) => {
              const timer = setTimeout(() => resolve([w.process.pid, undefined]), timeoutMs);
              waiting.set(w.id, (v) => {
                clearTimeout(timer);
                resolve([w.process.pid, v]);
              });
              w.send({ type: 'os:ask', id, question } satisfies AskMessage);
            }),
        ),
      );
    } finally {
      this.#pending.delete(id);
    }
  }
}
