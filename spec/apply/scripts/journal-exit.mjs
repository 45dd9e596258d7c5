// Sends one write synchronously, then N writes at once (describeServer on one server), and exits
// from the `request` event of the first answer, before the journal's end-of-turn append: the
// outcome lines still waiting are written at exit, after the lock module's own exit hook has run
// (it was set up first, by the synchronous write).
// Settings come from ES_ENDPOINT, ES_ACCESS_KEY, ES_SECRET_KEY and MIXCOATL_JOURNAL_DIR.
import { on, request, requestSync } from '../../../dist/lib/index.js';

const [serverId, count] = process.argv.slice(2);
const body = (description) => ({ body: { describeServer: [{ description }] } });
requestSync('PUT', `infrastructure/Server/${serverId}`, body('exit sync'));
on('request', (event) => {
  if (!event.sync) process.exit(0);
});
await Promise.all(Array.from({ length: Number(count) }, (_, i) => request('PUT', `infrastructure/Server/${serverId}`, body(`exit ${i}`))));
