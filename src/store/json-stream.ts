// Parses one JSON document from a stream of bytes without holding its text (imports and data
// files far larger than a string may be), with a byte limit.
import { JSONParser } from '@streamparser/json';

export class JsonTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
    this.name = 'JsonTooLargeError';
  }
}

/** The document (undefined for an empty stream), or throws SyntaxError (not JSON) / JsonTooLargeError. */
export async function parseJsonStream(chunks: AsyncIterable<Uint8Array | string>, limit = Infinity): Promise<unknown> {
  const parser = new JSONParser({ paths: ['$'], keepStack: false });
  let result: unknown;
  let done = false;
  let failure: Error | undefined;
  parser.onValue = ({ value, stack }) => {
    if (stack.length === 0) {
      result = value;
      done = true;
    }
  };
  parser.onError = (e) => {
    failure ??= e;
  };
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (bytes > limit) throw new JsonTooLargeError(limit);
    if (failure) break;
    parser.write(chunk);
  }
  if (bytes === 0) return undefined;
  if (!failure && !parser.isEnded) {
    try {
      parser.end();
    } catch (e) {
      failure ??= e as Error;
    }
  }
  if (failure || !done) throw new SyntaxError(failure ? failure.message : 'the document ended early');
  return result;
}
