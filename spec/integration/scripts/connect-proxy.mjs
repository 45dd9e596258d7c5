// A forward proxy for specs, on 127.0.0.1: it tunnels CONNECT requests (to loopback addresses only)
// and counts them. `GET /tunnels` answers the count and the targets as JSON; `DELETE /tunnels`
// clears them. With an argument `user:password`, a CONNECT without those credentials is answered
// 407. Prints `{"port":N}` on stdout once it listens; exits when stdin closes.
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { connect } from 'node:net';

const expected = process.argv[2];
const tunnels = [];
const server = createServer((req, res) => {
  if (req.url === '/tunnels' && req.method === 'GET') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ count: tunnels.length, targets: tunnels }));
  } else if (req.url === '/tunnels' && req.method === 'DELETE') {
    tunnels.length = 0;
    res.statusCode = 204;
    res.end();
  } else {
    res.statusCode = 404;
    res.end();
  }
});
server.on('connect', (req, client, head) => {
  const [host, port] = [req.url.slice(0, req.url.lastIndexOf(':')), Number(req.url.slice(req.url.lastIndexOf(':') + 1))];
  const auth = req.headers['proxy-authorization'];
  if (expected !== undefined && auth !== `Basic ${Buffer.from(expected).toString('base64')}`) {
    client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="spec"\r\n\r\n');
    return;
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  tunnels.push(req.url);
  const upstream = connect(port, host === '[::1]' ? '::1' : host, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
