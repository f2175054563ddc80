// The yardstick of the throughput figure: bare `node:http` answering every request with the same
// bytes and headers (argv: body file, headers as JSON). Prints "port N" once listening.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [file, headerJson] = process.argv.slice(2);
const body = readFileSync(file!);
const headers = { ...(JSON.parse(headerJson!) as Record<string, string>), 'content-length': String(body.length) };
const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`port ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
