// The checks every Mesos v1 API endpoint (scheduler and operator) makes
// before it looks at the call itself, in Mesos's order (spec §3 rows 4–6d):
// POST only, a Content-Type, then the body in the type it names: protobuf
// bytes that must decode into the endpoint's Call, or exactly
// `application/json` that must be valid JSON. Answers the request itself
// when a check fails.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../common/logger.js';
import { parseBodyJson } from './call-validation.js';
import { JSON_MEDIA_TYPE, PROTOBUF_MEDIA_TYPE, drain, readBodyBytes, sendText, type MediaType } from './http-util.js';
import { ProtobufDecodeError, decodeToJson, type ProtoMessageName } from './protobuf-codec.js';

export interface CallBody {
  /** The call as Mesos JSON would carry it: a protobuf call is converted to that shape, so one path validates both. */
  value: unknown;
  /** The request's Content-Type. */
  mediaType: MediaType;
}

export const PROTOBUF_PARSE_ERROR_TEXT = 'Failed to parse body into Call protobuf';

/** Returns the call body, or undefined once an error answer has been sent. */
export async function readCallBody(req: IncomingMessage, res: ServerResponse, logger: Logger, message: ProtoMessageName): Promise<CallBody | undefined> {
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
  const body = await readBodyBytes(req);
  if (contentType === PROTOBUF_MEDIA_TYPE) {
    try {
      return { value: decodeToJson(message, body), mediaType: PROTOBUF_MEDIA_TYPE };
    } catch (err) {
      if (!(err instanceof ProtobufDecodeError)) throw err;
      logger.info('protobuf call did not decode', { path: req.url, bytes: body.length, err: err.message });
      sendText(res, 400, PROTOBUF_PARSE_ERROR_TEXT);
      return undefined;
    }
  }
  if (contentType !== JSON_MEDIA_TYPE) {
    sendText(res, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
    return undefined;
  }
  const json = parseBodyJson(body.toString('utf8'));
  if (!json.ok) {
    sendText(res, 400, json.message);
    return undefined;
  }
  return { value: json.value, mediaType: JSON_MEDIA_TYPE };
}
