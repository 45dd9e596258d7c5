// Sends N writes at once (describeServer on one server) and exits as soon as they are answered,
// without flushing the journal: the outcome lines still waiting are written at exit.
// Settings come from ES_ENDPOINT, ES_ACCESS_KEY, ES_SECRET_KEY and MIXCOATL_JOURNAL_DIR.
import { request } from '../../../dist/lib/index.js';

const [serverId, count] = process.argv.slice(2);
await Promise.all(Array.from({ length: Number(count) }, (_, i) => request('PUT', `infrastructure/Server/${serverId}`, { body: { describeServer: [{ description: `exit ${i}` }] } })));
process.exit(0);
