/**
 * P7 probe, run in a fresh process by run.ts: the time of the first synchronous read, worker
 * start included. Settings come from ES_ENDPOINT, ES_ACCESS_KEY, ES_SECRET_KEY.
 *
 *   node dist/spec/bench/first-read.js <serverId>   → prints `{"firstReadMs":…,"name":…}`
 */
import { Server } from '../../lib/index.js';

const id = Number(process.argv[2]);
const started = performance.now();
const name = new Server(id).name;
const firstReadMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ firstReadMs, name })}\n`);
