// POST /api/v1/scheduler on the leading master: Mesos's check order (spec §3
// rows 4–17) with its exact status codes and texts. The leader check (rows
// 2/2b) is done by http-server.ts before this runs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../common/logger.js';
import { callFromJson } from './call-validation.js';
import { PROTOBUF_PARSE_ERROR_TEXT, readCallBody } from './call-request.js';
import { NOT_ACCEPTABLE_TEXT, PROTOBUF_MEDIA_TYPE, responseMediaType, sendEmpty, sendText } from './http-util.js';
import type { Master } from './master.js';
import type { CallStats } from './stats.js';

export interface SchedulerEndpointDeps {
  master: Master;
  stats: CallStats;
  logger: Logger;
  /** The principal authenticated by HTTP basic auth (spec §2), when authentication is on. */
  principal?: string;
}

export async function handleSchedulerRequest(req: IncomingMessage, res: ServerResponse, deps: SchedulerEndpointDeps): Promise<void> {
  const body = await readCallBody(req, res, deps.logger, 'mesos.v1.scheduler.Call');
  if (body === undefined) return;
  const parsed = callFromJson(body.value);
  if (!parsed.ok) {
    // A decoded protobuf call cannot fail the JSON conversion the way text can; if it still does, Mesos's protobuf text applies.
    const conversion = body.mediaType === PROTOBUF_MEDIA_TYPE && parsed.message.startsWith('Failed to convert JSON');
    sendText(res, 400, conversion ? PROTOBUF_PARSE_ERROR_TEXT : parsed.message);
    return;
  }
  const call = parsed.call;
  const principal = deps.principal;
  if (principal !== undefined && call.type === 'SUBSCRIBE') {
    const info = call.subscribe.framework_info;
    if (info.principal !== undefined && info.principal !== principal) {
      sendText(res, 400, `Failed to validate scheduler::Call: Authenticated principal '${principal}' does not match principal '${info.principal}' set in \`FrameworkInfo\``);
      return;
    }
    info.principal = principal;
  }
  deps.stats.record(call);
  const mediaType = responseMediaType(req);
  if ((call.type === 'SUBSCRIBE' || call.type === 'RECONCILE_OPERATIONS') && mediaType === undefined) {
    sendText(res, 406, NOT_ACCEPTABLE_TEXT);
    return;
  }
  const streamIdHeader = req.headers['mesos-stream-id'];
  const streamId = Array.isArray(streamIdHeader) ? streamIdHeader[0] : streamIdHeader;
  if (call.type === 'SUBSCRIBE') {
    if (streamId !== undefined) {
      sendText(res, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
      return;
    }
    deps.master.subscribe(call, res, mediaType);
    return;
  }
  const frameworkId = call.framework_id.value;
  const fw = deps.master.findFramework(frameworkId);
  if (fw === undefined) {
    sendText(res, 400, 'Framework cannot be found');
    return;
  }
  if (principal !== undefined && fw.info.principal !== principal) {
    sendText(res, 400, `Authenticated principal '${principal}' does not match principal '${fw.info.principal ?? ''}' set in \`FrameworkInfo\``);
    return;
  }
  if (!fw.connected || fw.stream === undefined) {
    sendText(res, 403, 'Framework is not subscribed');
    return;
  }
  if (streamId === undefined) {
    sendText(res, 400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    return;
  }
  if (streamId !== fw.stream.streamId) {
    sendText(
      res,
      400,
      `The stream ID '${streamId}' included in this request didn't match the stream ID currently associated with framework ID ${frameworkId}`,
    );
    return;
  }
  const result = deps.master.handleCall(fw, call);
  deps.stats.journal.record(call, result.status, Date.now());
  if (result.text !== undefined) sendText(res, result.status, result.text);
  else sendEmpty(res, result.status);
}
