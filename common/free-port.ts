// Picks a free TCP port on loopback for a child process that cannot be told
// to bind port 0 and report back (the Temporal dev server). The port is
// released before the child binds it, so callers retry on a bind failure.
import { createServer } from 'node:net';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('could not read the ephemeral port'));
        return;
      }
      const { port } = addr;
      srv.close(() => resolvePort(port));
    });
  });
}
