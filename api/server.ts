// Serving the app on Node (PORT, default 8080; 0 = ephemeral). close()
// stops accepting at once; with a grace period, requests in flight get that
// long to finish before their connections are cut.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface ApiServer {
  url: string;
  port: number;
  close(options?: { graceMs?: number }): Promise<void>;
}

export function serveApi(app: Hono, options: { port?: number; hostname?: string } = {}): Promise<ApiServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  const port = options.port ?? 8080;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      const host = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname.includes(':') ? `[${hostname}]` : hostname;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: ({ graceMs = 0 } = {}) =>
          new Promise<void>((done) => {
            const s = server as Server;
            const force = setTimeout(() => s.closeAllConnections(), graceMs);
            s.close(() => {
              clearTimeout(force);
              done();
            });
            s.closeIdleConnections();
            if (graceMs === 0) s.closeAllConnections();
          }),
      });
    }) as Server;
    // Longer than the usual client and load-balancer idle timeouts, so that
    // the server never closes a kept-alive connection a client is about to reuse.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.once('error', reject);
  });
}
