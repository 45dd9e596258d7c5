// Sends N writes (describeServer on one server) from a fresh process; every one is journaled.
// Settings come from ES_ENDPOINT, ES_ACCESS_KEY, ES_SECRET_KEY and MIXCOATL_JOURNAL_DIR.
import { request, flushJournal } from '../../../dist/lib/index.js';

const [serverId, count, tag] = process.argv.slice(2);
for (let i = 0; i < Number(count); i++) {
  await request('PUT', `infrastructure/Server/${serverId}`, { body: { describeServer: [{ description: `${tag} ${i}` }] } });
}
await flushJournal();
console.log('done');
