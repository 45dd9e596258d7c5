// Synchronous reads in a fresh process, printing every output channel of the library:
// values, pprint, lastRequest, and the message, stack, inspect and JSON of each error.
// Settings come from ES_ENDPOINT, ES_ACCESS_KEY, ES_SECRET_KEY and DCM_DEBUG.
import { inspect } from 'node:util';
import { Server, requestSync } from '../../../dist/lib/index.js';

function show(label, error) {
  console.log(`${label}: ${error.name} ${error.message}`);
  console.log(error.stack);
  console.log(inspect(error, { showHidden: true, depth: 6 }));
  console.log(JSON.stringify(error));
}

const id = Number(process.argv[2]);
const server = new Server(id);
console.log(server.name, server.status);
server.pprint();
console.log(JSON.stringify(server.lastRequest), inspect(server));
try { console.log(new Server(1).name); } catch (error) { show('missing', error); }
for (const echo of ['error', 'data', 'html']) {
  try { console.log(JSON.stringify(requestSync('GET', 'infrastructure/Server', { query: { echo } }).data)); } catch (error) { show(echo, error); }
}
