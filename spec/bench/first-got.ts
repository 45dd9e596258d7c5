/**
 * P7's baseline, run in a fresh process by run.ts: a plain script that imports got and makes the
 * same signed GET as first-read.js, timed from process start to the value printed.
 *
 *   node dist/spec/bench/first-got.js <serverId>   → prints `{"ms":…,"name":…}`
 */
import { createHmac } from 'node:crypto';
import got from 'got';

const id = Number(process.argv[2]);
const endpoint = process.env.ES_ENDPOINT as string;
const accessKey = process.env.ES_ACCESS_KEY as string;
const url = `${endpoint}/infrastructure/Server/${id}`;
const timestamp = String(Date.now());
const signature = createHmac('sha256', process.env.ES_SECRET_KEY as string).update(`${accessKey}:GET:${new URL(url).pathname}:${timestamp}:mixcoatl`).digest('base64');
const body = await got(url, {
  headers: { accept: 'application/json', 'user-agent': 'mixcoatl', 'x-es-details': 'basic', 'x-esauth-access': accessKey, 'x-esauth-timestamp': timestamp, 'x-esauth-signature': signature },
}).text();
const name = (JSON.parse(body) as { servers: Array<{ name: string }> }).servers[0].name;
process.stdout.write(`${JSON.stringify({ ms: performance.now(), name })}\n`);
