// What the fault suite reads from the running system: the master's task list
// (GET_TASKS), its journal, the session holder (from the session workflow's
// pending holdSession activity), job views from the API and histories from
// Temporal. Every call is bounded; a failing one returns nothing, so a fault
// in progress never stops the observation.
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { sessionWorkflowId, TASK_UPDATE_SIGNAL } from '../../activities/contract.js';
import type { ApiJob } from '../../api/schemas.js';
import type { JobHistory, JournalAck, JournalLaunch, RecordedUpdate } from './figures.js';

const TIMEOUT_MS = 10_000;

export async function getJson(url: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  return getJson(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

interface Topology {
  masters: string[];
  leader: number | null;
  agents: Array<{ id: string; url: string }>;
}

/** The devcluster's topology; any of its masters answers /__devcluster. */
export async function topology(masterUrls: string[]): Promise<Topology> {
  let last: unknown;
  for (const m of masterUrls) {
    try {
      return (await getJson(`${m}/__devcluster`)) as Topology;
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`no devcluster master answered: ${String(last)}`);
}

export async function leaderUrl(masterUrls: string[]): Promise<string> {
  const t = await topology(masterUrls);
  if (t.leader === null) throw new Error('the devcluster has no leading master');
  return t.masters[t.leader] as string;
}

interface V1Task {
  task_id: { value: string };
  state: string;
}

/** Adds every task GET_TASKS lists (active, completed, unreachable, orphan) with its state to `into`. */
export async function pollMasterTasks(masterUrls: string[], into: Map<string, Set<string>>): Promise<void> {
  const leader = await leaderUrl(masterUrls);
  const r = (await postJson(`${leader}/api/v1`, { type: 'GET_TASKS' })) as { get_tasks?: Record<string, V1Task[] | undefined> };
  const lists = r.get_tasks ?? {};
  for (const key of ['pending_tasks', 'tasks', 'completed_tasks', 'unreachable_tasks', 'orphan_tasks']) {
    for (const t of lists[key] ?? []) {
      let s = into.get(t.task_id.value);
      if (!s) into.set(t.task_id.value, (s = new Set()));
      s.add(t.state);
    }
  }
}

export async function readJournal(masterUrls: string[]): Promise<{ launches: JournalLaunch[]; acks: JournalAck[]; dropped: number }> {
  const t = await topology(masterUrls);
  return (await getJson(`${t.masters[0]}/__devcluster/journal`)) as { launches: JournalLaunch[]; acks: JournalAck[]; dropped: number };
}

/** Activity state STARTED (temporal.api.enums.v1.PendingActivityState). */
const PENDING_ACTIVITY_STARTED = 2;

/** The pid of the worker running holdSession now, or undefined while nobody holds it. */
export async function sessionHolderPid(client: Client, frameworkName: string): Promise<number | undefined> {
  const d = await client.workflow.getHandle(sessionWorkflowId(frameworkName)).describe();
  for (const a of d.raw.pendingActivities ?? []) {
    if (a.activityType?.name !== 'holdSession' || Number(a.state) !== PENDING_ACTIVITY_STARTED) continue;
    // The SDK's default worker identity is "<pid>@<hostname>".
    const pid = Number(/^(\d+)@/.exec(a.lastWorkerIdentity ?? '')?.[1]);
    if (Number.isInteger(pid) && pid > 0) return pid;
  }
  return undefined;
}

export async function jobView(apiUrl: string, id: string, headers: Record<string, string>): Promise<ApiJob> {
  return (await getJson(`${apiUrl}/v1/jobs/${encodeURIComponent(id)}`, { headers })) as ApiJob;
}

function eventMs(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!t) return 0;
  return Number(String(t.seconds ?? 0)) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

/** Updates carried by a placeAndLaunch result or heartbeat details payload. */
function activityUpdates(payload: Parameters<typeof defaultPayloadConverter.fromPayload>[0] | null | undefined): Array<{ uuid?: string }> {
  if (!payload) return [];
  const value = defaultPayloadConverter.fromPayload(payload) as { updates?: Array<{ uuid?: string }> } | null;
  return Array.isArray(value?.updates) ? value.updates : [];
}

/**
 * The status updates Temporal recorded for a job, and when it closed: the
 * taskUpdate signals, and the updates the attempt's placeAndLaunch activity
 * recorded (its heartbeat details, shown in the history only with the
 * activity's completion, timeout or failure).
 */
export async function jobHistory(client: Client, id: string): Promise<JobHistory> {
  const handle = client.workflow.getHandle(id);
  const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
  const updates: RecordedUpdate[] = [];
  for (const e of history.events ?? []) {
    const at = eventMs(e.eventTime);
    const s = e.workflowExecutionSignaledEventAttributes;
    if (s && s.signalName === TASK_UPDATE_SIGNAL) {
      const payload = s.input?.payloads?.[0];
      const value = payload ? (defaultPayloadConverter.fromPayload(payload) as { uuid?: string }) : {};
      updates.push({ uuid: value.uuid, at });
      continue;
    }
    const carried = [
      ...activityUpdates(e.activityTaskCompletedEventAttributes?.result?.payloads?.[0]),
      ...activityUpdates(e.activityTaskTimedOutEventAttributes?.failure?.timeoutFailureInfo?.lastHeartbeatDetails?.payloads?.[0]),
      ...activityUpdates(e.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo?.details?.payloads?.[0]),
    ];
    for (const u of carried) updates.push({ uuid: u.uuid, at, viaActivity: true });
  }
  return { updates, closedAt: description.closeTime?.getTime() };
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(lanes);
  return out;
}

/** Retries `fn` until it succeeds or the deadline passes (then throws its last error). */
export async function retry<T>(what: string, fn: () => Promise<T>, timeoutMs: number, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + intervalMs > deadline) throw new Error(`${what}: gave up after ${timeoutMs} ms: ${String(err)}`, { cause: err });
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
