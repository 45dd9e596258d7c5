import { PassThrough } from 'node:stream';

/** A stream that keeps what is written to it (`text()`): stdout and stderr for `runSim` in specs. */
export type Sink = PassThrough & { text: () => string };

/** A new {@link Sink}. */
export function sink(): Sink {
  const stream = new PassThrough() as Sink;
  let buffer = '';
  stream.on('data', (c: Buffer) => {
    buffer += c.toString('utf8');
  });
  stream.text = () => buffer;
  return stream;
}
