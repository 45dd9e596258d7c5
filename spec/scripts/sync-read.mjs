// A plain script: no await, no callbacks. Settings come from ES_ENDPOINT, ES_ACCESS_KEY, ES_SECRET_KEY.
import { Server } from 'mixcoatl';

const server = new Server(Number(process.argv[2] ?? 331810)); // no request yet
console.log(server.name); // one signed GET fills every attribute
console.log(server.status); // answered locally
console.log(server.lastRequest.method, server.lastRequest.statusCode);
