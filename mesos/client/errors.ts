// One error class per way a scheduler call or subscription can fail, each
// carrying what was being done (call type, URL) and the master's own words.

export class MesosClientError extends Error {
  /** The scheduler call being made (`SUBSCRIBE`, `ACCEPT`, ...), when there was one. */
  readonly callType: string | undefined;
  constructor(message: string, callType?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.callType = callType;
  }
}

/** The master answered with an unexpected HTTP status. `body` is the master's text (Mesos errors are text/plain). */
export class MesosHttpError extends MesosClientError {
  readonly status: number;
  readonly body: string;
  readonly url: string;
  constructor(status: number, body: string, callType: string | undefined, url: string) {
    super(`${callType ?? 'request'} to ${url} failed with HTTP ${status}${body ? `: ${body}` : ''}`, callType);
    this.status = status;
    this.body = body;
    this.url = url;
  }
}

/** 400: malformed or invalid call, unknown framework ("Framework cannot be found"), wrong stream id. */
export class MesosBadRequestError extends MesosHttpError {
  /** The stream id we sent is not the framework's current one: the subscription was replaced. */
  get streamIdMismatch(): boolean {
    return /^The stream ID '.*' included in this request didn't match/.test(this.body);
  }
  get frameworkNotFound(): boolean {
    return this.body === 'Framework cannot be found';
  }
}

/** 401: credentials missing or wrong (`--authenticate_http_frameworks`). */
export class MesosUnauthorizedError extends MesosHttpError {
  readonly wwwAuthenticate: string | undefined;
  constructor(status: number, body: string, callType: string | undefined, url: string, wwwAuthenticate: string | undefined) {
    super(status, body, callType, url);
    this.wwwAuthenticate = wwwAuthenticate;
  }
}

/** 403: e.g. "Framework is not subscribed" — the framework must SUBSCRIBE again. */
export class MesosForbiddenError extends MesosHttpError {
  get resubscribeNeeded(): boolean {
    return this.body === 'Framework is not subscribed' || this.body === 'Framework is not connected via HTTP';
  }
}

export class MesosNotFoundError extends MesosHttpError {}
export class MesosMethodNotAllowedError extends MesosHttpError {}
export class MesosNotAcceptableError extends MesosHttpError {}
export class MesosConflictError extends MesosHttpError {}
export class MesosUnsupportedMediaTypeError extends MesosHttpError {}
/** 503 other than the no-leader answers (those become NoLeaderError after retries). */
export class MesosServiceUnavailableError extends MesosHttpError {}
/** Any other status, including a 2xx that is not the one the call expects. */
export class MesosUnexpectedStatusError extends MesosHttpError {}

export function httpErrorFor(status: number, body: string, callType: string | undefined, url: string, wwwAuthenticate?: string): MesosHttpError {
  switch (status) {
    case 400:
      return new MesosBadRequestError(status, body, callType, url);
    case 401:
      return new MesosUnauthorizedError(status, body, callType, url, wwwAuthenticate);
    case 403:
      return new MesosForbiddenError(status, body, callType, url);
    case 404:
      return new MesosNotFoundError(status, body, callType, url);
    case 405:
      return new MesosMethodNotAllowedError(status, body, callType, url);
    case 406:
      return new MesosNotAcceptableError(status, body, callType, url);
    case 409:
      return new MesosConflictError(status, body, callType, url);
    case 415:
      return new MesosUnsupportedMediaTypeError(status, body, callType, url);
    case 503:
      return new MesosServiceUnavailableError(status, body, callType, url);
    default:
      return new MesosUnexpectedStatusError(status, body, callType, url);
  }
}

/** 503 "No leader elected" / "Master has not finished recovery" on every attempt. */
export class NoLeaderError extends MesosClientError {
  readonly attempts: number;
  readonly lastBody: string;
  readonly url: string;
  constructor(callType: string, attempts: number, lastBody: string, url: string) {
    super(`${callType}: no leading master after ${attempts} attempt(s) (last answer from ${url}: ${lastBody})`, callType);
    this.attempts = attempts;
    this.lastBody = lastBody;
    this.url = url;
  }
}

export class TooManyRedirectsError extends MesosClientError {
  readonly chain: string[];
  constructor(callType: string, chain: string[]) {
    super(`${callType}: too many redirects (${chain.join(' -> ')})`, callType);
    this.chain = chain;
  }
}

/** A 307 without a usable Location header. */
export class InvalidRedirectError extends MesosClientError {
  readonly url: string;
  readonly location: string | undefined;
  constructor(callType: string, url: string, location: string | undefined) {
    super(`${callType}: ${url} answered 307 with an unusable Location ${JSON.stringify(location ?? null)}`, callType);
    this.url = url;
    this.location = location;
  }
}

/** Could not reach a master (connection refused, reset, TLS failure, connect/headers timeout). */
export class MesosConnectionError extends MesosClientError {
  readonly url: string;
  constructor(callType: string, url: string, cause: unknown) {
    super(`${callType}: could not reach ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, callType, { cause });
    this.url = url;
  }
}

/** No master in the list could be reached; `errors` holds one MesosConnectionError per master tried. */
export class MastersUnreachableError extends MesosClientError {
  readonly errors: MesosConnectionError[];
  constructor(callType: string, errors: MesosConnectionError[]) {
    super(`${callType}: no master reachable (${errors.map((e) => e.message).join('; ')})`, callType);
    this.errors = errors;
  }
}

/** A call that needs a live subscription (Mesos-Stream-Id, framework id) was made without one. */
export class NotSubscribedError extends MesosClientError {
  constructor(callType: string) {
    super(`${callType}: no live subscription (SUBSCRIBE first; calls need its Mesos-Stream-Id and framework id)`, callType);
  }
}

/** subscribe() while another subscription of this client is still open. */
export class SubscriptionActiveError extends MesosClientError {
  constructor() {
    super('SUBSCRIBE: this client already has an open subscription; close it first', 'SUBSCRIBE');
  }
}

/** The call is not well-formed (caught before sending). */
export class InvalidCallError extends MesosClientError {}

/** The first event of the stream was ERROR: the master refused the SUBSCRIBE (e.g. invalid role). */
export class SubscribeRefusedError extends MesosClientError {
  readonly mesosMessage: string;
  constructor(mesosMessage: string, url: string) {
    super(`SUBSCRIBE refused by ${url}: ${mesosMessage}`, 'SUBSCRIBE');
    this.mesosMessage = mesosMessage;
  }
}

/** An ERROR event after SUBSCRIBED (e.g. "Framework failed over"): the subscription is over. */
export class FrameworkErrorEventError extends MesosClientError {
  readonly mesosMessage: string;
  readonly frameworkId: string | undefined;
  constructor(mesosMessage: string, frameworkId: string | undefined) {
    super(`subscription of framework ${frameworkId ?? '(unknown)'} ended by an ERROR event: ${mesosMessage}`, 'SUBSCRIBE');
    this.mesosMessage = mesosMessage;
    this.frameworkId = frameworkId;
  }
}

/** The master ended the event stream without an ERROR event (e.g. after a TEARDOWN from elsewhere). */
export class StreamClosedError extends MesosClientError {
  readonly frameworkId: string | undefined;
  constructor(frameworkId: string | undefined, url: string) {
    super(`the master at ${url} closed the event stream of framework ${frameworkId ?? '(unknown)'}`, 'SUBSCRIBE');
    this.frameworkId = frameworkId;
  }
}

/** The connection of the event stream failed while reading (reset, socket error). */
export class StreamConnectionError extends MesosClientError {
  readonly frameworkId: string | undefined;
  constructor(frameworkId: string | undefined, url: string, cause: unknown) {
    super(`the event stream of framework ${frameworkId ?? '(unknown)'} from ${url} broke: ${cause instanceof Error ? cause.message : String(cause)}`, 'SUBSCRIBE', { cause });
    this.frameworkId = frameworkId;
  }
}

/** No event arrived for heartbeatMissLimit × heartbeat interval. */
export class HeartbeatTimeoutError extends MesosClientError {
  readonly frameworkId: string | undefined;
  readonly silentMs: number;
  constructor(frameworkId: string | undefined, silentMs: number, intervalSeconds: number, missLimit: number) {
    super(`no event from the master for ${silentMs} ms (${missLimit} × ${intervalSeconds} s heartbeat interval); framework ${frameworkId ?? '(unknown)'}`, 'SUBSCRIBE');
    this.frameworkId = frameworkId;
    this.silentMs = silentMs;
  }
}
