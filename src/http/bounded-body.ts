/**
 * An answer body read whole, refused past `limit` bytes: a store or endpoint answering endlessly
 * must not fill the proxy's memory. Leaving the loop early (the throw) destroys the body.
 */
export async function readBounded(body: AsyncIterable<Buffer>, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
