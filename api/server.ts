// Serving the app on Node (PORT, default 8080; 0 = ephemeral).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function serveApi(app: Hono, options: { port?: number; hostname?: string } = {}): Promise<ApiServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  const port = options.port ?? Number(process.env.PORT ?? 8080);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      const host = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname.includes(':') ? `[${hostname}]` : hostname;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            (server as Server).close(() => done());
            (server as Server).closeAllConnections();
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
