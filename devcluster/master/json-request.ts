// The checks every Mesos v1 API endpoint (scheduler and operator) makes
// before it looks at the call itself, in Mesos's order (spec §3 rows 4–6d):
// POST only, a Content-Type, protobuf bodies (which the devcluster cannot
// parse), exactly `application/json`, then valid JSON. Answers the request
// itself when a check fails.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../common/logger.js';
import { parseBodyJson } from './call-validation.js';
import { drain, readBody, sendText } from './http-util.js';

/** Returns the parsed JSON body, or undefined once an error answer has been sent. */
export async function readJsonCallBody(req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<{ value: unknown } | undefined> {
  if (req.method !== 'POST') {
    drain(req);
    sendText(res, 405, `405 Method Not Allowed. Expecting one of { 'POST' }, but received '${req.method ?? ''}'.`, { Allow: 'POST' });
    return undefined;
  }
  const contentType = req.headers['content-type'];
  if (contentType === undefined) {
    drain(req);
    sendText(res, 400, "Expecting 'Content-Type' to be present");
    return undefined;
  }
  const body = await readBody(req);
  if (contentType === 'application/x-protobuf') {
    // The devcluster speaks JSON only; a protobuf body is answered as one Mesos could not parse.
    logger.warn('protobuf call received; the devcluster only speaks JSON', { path: req.url });
    sendText(res, 400, 'Failed to parse body into Call protobuf');
    return undefined;
  }
  if (contentType !== 'application/json') {
    sendText(res, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
    return undefined;
  }
  const json = parseBodyJson(body);
  if (!json.ok) {
    sendText(res, 400, json.message);
    return undefined;
  }
  return { value: json.value };
}
