/**
 * The synchronous-read worker as the specs run it (installed by ./sync-worker-setup.ts): the
 * sources — lib/http/worker.ts and everything it imports — through tsx's loader, never a built
 * copy in dist/ that may be stale. It adds what the published worker must not have: a request to
 * `mixcoatl-test:crash`, `mixcoatl-test:exit` or `mixcoatl-test:crash?afterMs=50` makes the
 * worker die, and `mixcoatl-test:loaded` answers with the URLs of the modules it loaded.
 */
import { setImmediate, setTimeout } from 'node:timers';
import { URL } from 'node:url';
import { register } from 'tsx/esm/api';

const loaded = [];
register({ onImport: (url) => loaded.push(url) });
const worker = await import(new URL('../../lib/http/worker.ts', import.meta.url).href);

function diagnose(port, state, message) {
  const url = new URL(message.request.url);
  if (url.pathname === 'loaded') {
    port.postMessage({ id: message.id, ok: true, response: { statusCode: 200, headers: {}, body: JSON.stringify(loaded), durationMs: 0, attempts: 1 } });
    worker.wake(state);
  } else if (url.pathname === 'exit') {
    process.exit(1);
  } else if (url.pathname === 'crash') {
    const crash = () => {
      throw new Error('worker crashed on request');
    };
    const afterMs = Number(url.searchParams.get('afterMs') ?? 0);
    if (afterMs > 0) setTimeout(crash, afterMs);
    else setImmediate(crash);
  } else {
    throw new Error(`unknown diagnostic ${url.href}`);
  }
}

export function serve(port, state) {
  port.on('message', (message) => {
    if (message.request.url.startsWith('mixcoatl-test:')) diagnose(port, state, message);
    else worker.answer(port, state, message);
  });
  worker.announce(port, state);
}
