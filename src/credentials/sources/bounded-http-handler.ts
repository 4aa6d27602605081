import { Transform, pipeline, type Readable } from 'node:stream';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';

/** An STS answer (AssumeRole, AssumeRoleWithWebIdentity) is a few KiB; an error one less. */
export const STS_MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The SDK's node handler with each answer body bounded: cut past `maxBytes`, or `timeoutMs` after
 * its head. The SDK reads an STS answer whole, and its `requestTimeout` is an idle timeout: an
 * endless answer (a flood, or a drip that never idles) grew the proxy's memory for good, long
 * after the refresh's deadline had failed it. Cutting the body errors the SDK's read and closes
 * the connection.
 */
export class BoundedHttpHandler extends NodeHttpHandler {
  readonly #maxBytes: number;
  readonly #timeoutMs: number;

  constructor(o: NodeHttpHandlerOptions & { maxBytes: number; timeoutMs: number }) {
    const { maxBytes, timeoutMs, ...options } = o;
    super(options);
    this.#maxBytes = maxBytes;
    this.#timeoutMs = timeoutMs;
  }

  override async handle(...args: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const answer = await super.handle(...args);
    // This answer's own object, made for this request.
    if (answer.response.body) answer.response.body = bounded(answer.response.body as Readable, this.#maxBytes, this.#timeoutMs);
    return answer;
  }
}

function bounded(body: Readable, maxBytes: number, timeoutMs: number): Readable {
  let size = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBytes ? new Error(`answer larger than ${maxBytes} bytes`) : null, chunk);
    },
  });
  const timer = setTimeout(() => out.destroy(new Error(`no whole answer within ${timeoutMs} ms`)), timeoutMs);
  timer.unref();
  // pipeline destroys the answer (its socket) when the bounded copy fails or is destroyed.
  pipeline(body, out, () => clearTimeout(timer));
  return out;
}
