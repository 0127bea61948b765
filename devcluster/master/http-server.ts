// Routing of one master's HTTP server. Every master of the devcluster runs
// one; only the leader serves the scheduler and operator APIs and the state
// endpoints, the others redirect there (307 with a protocol-relative
// Location naming the leader's /master/... endpoint, spec §14, recorded in
// mesos-transcripts/14) or answer 503 "No leader elected". Every handler is
// wrapped: bad input never crashes the devcluster, a genuine bug is logged and
// answered 500.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from '../../common/logger.js';
import { handleFaultRequest, type FaultRouteDeps } from './faults.js';
import { BodyTooLargeError, sendEmpty, sendJsonText, sendText, drain } from './http-util.js';
import { toMesosJson } from './json-out.js';
import type { Master } from './master.js';
import { handleOperatorRequest } from './operator-api.js';
import { handleSchedulerRequest } from './scheduler-endpoint.js';
import { masterFrameworks, masterSlaves, masterState, masterStateSummary, masterTasks, versionInfo } from './state-endpoints.js';
import type { CallStats } from './stats.js';

export interface LeaderAddress {
  hostname: string;
  port: number;
}

export interface RouteContext {
  /** This server's master when it leads; undefined on a follower. */
  master: Master | undefined;
  /** The leader's address, undefined when no leader is elected. */
  leader: LeaderAddress | undefined;
  stats: CallStats;
  faults: FaultRouteDeps;
  logger: Logger;
  version: string;
  /** HTTP framework authentication (Mesos --authenticate_http_frameworks with basic credentials); off when undefined. */
  credentials?: ReadonlyArray<{ principal: string; secret: string }>;
}

/** The authenticated principal, or null when the Authorization header is missing or wrong. */
function authenticate(header: string | undefined, credentials: ReadonlyArray<{ principal: string; secret: string }>): string | null {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (m === null) return null;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  const principal = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  return credentials.some((c) => c.principal === principal && c.secret === secret) ? principal : null;
}

const STATE_PATHS: Record<string, (m: Master, fid: string | null) => object> = {
  '/master/state': (m) => masterState(m),
  '/state': (m) => masterState(m),
  '/master/state.json': (m) => masterState(m),
  '/master/frameworks': masterFrameworks,
  '/frameworks': masterFrameworks,
  '/master/tasks': masterTasks,
  '/tasks': masterTasks,
  '/master/slaves': (m) => masterSlaves(m),
  '/slaves': (m) => masterSlaves(m),
  '/master/state-summary': (m) => masterStateSummary(m),
  '/state-summary': (m) => masterStateSummary(m),
};

/**
 * Where a follower sends a request: the leader's `/master/<endpoint>` with the
 * query kept, whichever alias was asked. Real masters answer
 * `/api/v1/scheduler?q` with `//leader:port/master/api/v1/scheduler?q`
 * (mesos-transcripts/14): libprocess delegates the unprefixed paths to the
 * `master` process, and the redirect names the request's path as that
 * process sees it.
 */
export function leaderLocation(leader: LeaderAddress, requestUrl: string): string {
  const url = new URL(requestUrl, 'http://devcluster');
  const endpoint = url.pathname.startsWith('/master/') ? url.pathname : `/master${url.pathname}`;
  return `//${leader.hostname}:${leader.port}${endpoint}${url.search}`;
}

function notLeader(req: IncomingMessage, res: ServerResponse, leader: LeaderAddress | undefined): void {
  drain(req);
  if (leader === undefined) return sendText(res, 503, 'No leader elected');
  sendEmpty(res, 307, { Location: leaderLocation(leader, req.url ?? '/') });
}

async function route(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://devcluster');
  const path = url.pathname;
  if (path === '/__devcluster' || path.startsWith('/__devcluster/')) return handleFaultRequest(req, res, path, ctx.faults);
  const master = ctx.master;
  switch (path) {
    case '/api/v1/scheduler':
    case '/master/api/v1/scheduler': {
      // Authentication comes before everything, the leader check included (spec §3 row 0).
      let principal: string | undefined;
      if (ctx.credentials !== undefined) {
        const p = authenticate(req.headers.authorization, ctx.credentials);
        if (p === null) {
          ctx.stats.recordUnauthorized();
          drain(req);
          return sendText(res, 401, '401 Unauthorized.', { 'WWW-Authenticate': 'Basic realm="mesos-master-scheduler"' });
        }
        principal = p;
      }
      if (master === undefined) return notLeader(req, res, ctx.leader);
      return handleSchedulerRequest(req, res, { master, stats: ctx.stats, logger: ctx.logger, ...(principal !== undefined ? { principal } : {}) });
    }
    case '/api/v1':
    case '/master/api/v1':
      if (master === undefined) return notLeader(req, res, ctx.leader);
      return handleOperatorRequest(req, res, master);
    case '/redirect':
    case '/master/redirect':
      drain(req);
      if (ctx.leader === undefined) return sendText(res, 503, 'No leader elected');
      return sendEmpty(res, 307, { Location: `//${ctx.leader.hostname}:${ctx.leader.port}` });
    case '/health':
    case '/master/health':
      drain(req);
      return sendEmpty(res, 200);
    case '/version':
      drain(req);
      return sendJsonText(res, 200, toMesosJson(master !== undefined ? versionInfo(master) : { version: ctx.version }));
  }
  const state = STATE_PATHS[path];
  if (state !== undefined) {
    if (master === undefined) return notLeader(req, res, ctx.leader);
    drain(req);
    return sendJsonText(res, 200, toMesosJson(state(master, url.searchParams.get('framework_id'))));
  }
  drain(req);
  sendEmpty(res, 404);
}

/** TLS of a master (Mesos: LIBPROCESS_SSL_CERT_FILE, _KEY_FILE, _CA_FILE, _REQUIRE_CERT). */
export interface MasterTls {
  cert: string | Buffer;
  key: string | Buffer;
  /** CA that client certificates must chain to. */
  ca?: string | Buffer;
  /** Refuse the TLS handshake of a client without a certificate signed by `ca`. */
  requireClientCert?: boolean;
}

/** An HTTP(S) server whose routing context is read per request (it changes on master failover). */
export function createMasterHttpServer(context: () => RouteContext, tls?: MasterTls): Server {
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const ctx = context();
    route(req, res, ctx).catch((err: unknown) => {
      if (err instanceof BodyTooLargeError) {
        if (!res.headersSent) sendText(res, 413, `Request body larger than ${err.limit} bytes`);
        return;
      }
      ctx.logger.error('devcluster master request failed', { err, method: req.method, url: req.url });
      if (!res.headersSent) sendText(res, 500, 'Internal error in the devcluster master');
      else res.destroy();
    });
  };
  // An https.Server is a tls.Server, not an http.Server, but serves the same
  // request events and timeouts, which is all the devcluster uses.
  const server: Server = tls === undefined
    ? createServer(handler)
    : (createHttpsServer(
        {
          cert: tls.cert,
          key: tls.key,
          ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
          requestCert: tls.requireClientCert === true,
          rejectUnauthorized: tls.requireClientCert === true,
        },
        handler,
      ) as unknown as Server);
  // Event streams live for hours; keep-alive connections for calls are reused.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 60_000;
  return server;
}
