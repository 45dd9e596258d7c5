// Sends N writes (describeServer on one server) from a fresh process; every one is journaled.
// With a fourth argument C, sends them C at a time (each round's intents share an append).
// Settings come from ES_ENDPOINT, ES_ACCESS_KEY, ES_SECRET_KEY and MIXCOATL_JOURNAL_DIR.
import { request, flushJournal } from '../../../dist/lib/index.js';

const [serverId, count, tag, together = '1'] = process.argv.slice(2);
const put = (i) => request('PUT', `infrastructure/Server/${serverId}`, { body: { describeServer: [{ description: `${tag} ${i}` }] } });
for (let i = 0; i < Number(count); i += Number(together)) {
  await Promise.all(Array.from({ length: Math.min(Number(together), Number(count) - i) }, (_, j) => put(i + j)));
}
await flushJournal();
console.log('done');
