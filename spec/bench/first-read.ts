/**
 * P7 probe, run in a fresh process by run.ts: the first synchronous read, timed from process start
 * (Node's time origin) to the value printed, so the library's own import and the worker's start
 * both count. It imports the package by its name, as a program does (the bundled entry).
 * Settings come from ES_ENDPOINT, ES_ACCESS_KEY, ES_SECRET_KEY.
 *
 *   node dist/spec/bench/first-read.js <serverId>   → prints `{"ms":…,"readMs":…,"name":…}`
 */
import { Server } from 'mixcoatl';

const id = Number(process.argv[2]);
const started = performance.now();
const name = new Server(id).name;
const readMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms: performance.now(), readMs, name })}\n`);
