// The agent's HTTP server: /files/{read,browse,download,debug} (libprocess's
// "files" process, so only under /files), /state and /health (the agent
// process's, so also under /slave(1)). Any failure answers 500; nothing a client
// sends can take the server down.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../common/logger.js';
import { filesBrowse, filesDownload, filesRead, type FilesRegistry, type FilesResponse } from './files-api.js';

export interface AgentHttpServerOptions {
  host: string;
  port: number;
  files: FilesRegistry;
  state: () => Record<string, unknown>;
  logger: Logger;
}

export interface AgentHttpServer {
  port: number;
  close(): Promise<void>;
}

function reply(res: ServerResponse, r: FilesResponse): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  res.writeHead(r.status, { ...r.headers, 'Content-Length': String(body.length) });
  res.end(body);
}

async function route(req: IncomingMessage, res: ServerResponse, opts: AgentHttpServerOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://agent');
  const q = url.searchParams;
  // The files process lives at /files only; the agent's own endpoints also answer under /slave(1).
  switch (url.pathname) {
    case '/files/read':
      return reply(res, await filesRead(opts.files, q));
    case '/files/browse':
      return reply(res, await filesBrowse(opts.files, q));
    case '/files/download': {
      const r = await filesDownload(opts.files, q);
      if ('status' in r) return reply(res, r);
      res.writeHead(200, r.headers);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = createReadStream(r.path);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return;
    }
    case '/files/debug': {
      const body = JSON.stringify(Object.fromEntries(opts.files.attached()));
      return reply(res, { status: 200, headers: { 'Content-Type': 'application/json' }, body });
    }
    case '/state':
    case '/slave(1)/state': {
      const jsonp = q.get('jsonp');
      const json = JSON.stringify(opts.state());
      if (jsonp !== null) return reply(res, { status: 200, headers: { 'Content-Type': 'text/javascript' }, body: `${jsonp}(${json})` });
      return reply(res, { status: 200, headers: { 'Content-Type': 'application/json' }, body: json });
    }
    case '/health':
    case '/slave(1)/health':
      res.writeHead(200, { 'Content-Length': '0' });
      res.end();
      return;
    default:
      res.writeHead(404, { 'Content-Length': '0' });
      res.end();
  }
}

export async function startAgentHttpServer(opts: AgentHttpServerOptions): Promise<AgentHttpServer> {
  const server = createServer((req, res) => {
    route(req, res, opts).catch((err: unknown) => {
      opts.logger.error('agent HTTP request failed', { err, url: req.url });
      if (!res.headersSent) {
        const body = `${(err as Error).message ?? String(err)}\n`;
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) });
        res.end(body);
      } else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
