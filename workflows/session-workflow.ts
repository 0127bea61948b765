// The framework session workflow: one per framework name (its workflow id is
// fixed), so there is one holder of the Mesos subscription however many
// workers run. It runs `holdSession`, a heartbeating activity that subscribes
// and serves the session task queue for as long as it lives. If its worker
// dies, the heartbeat times out and Temporal runs it again on another worker,
// which subscribes with the stored framework id (Mesos fails the framework
// over to it). The framework id is kept here, durably.
import { continueAsNew, defineQuery, defineSignal, log, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { SessionHostActivities } from '../activities/contract.js';
import { FRAMEWORK_ID_QUERY, FRAMEWORK_ID_SIGNAL } from '../activities/contract.js';

export const frameworkSubscribedSignal = defineSignal<[string]>(FRAMEWORK_ID_SIGNAL);
export const frameworkIdQuery = defineQuery<string | undefined>(FRAMEWORK_ID_QUERY);

export interface SessionWorkflowInput {
  frameworkName: string;
  frameworkId?: string;
  /** Heartbeat timeout of holdSession: how fast a dead holder is noticed. */
  heartbeatTimeoutSeconds?: number;
}

/** Runs of holdSession (each a few history events) before the history is restarted. */
const RUNS_BEFORE_CONTINUE_AS_NEW = 200;

export async function sessionWorkflow(input: SessionWorkflowInput): Promise<void> {
  let frameworkId = input.frameworkId;
  setHandler(frameworkSubscribedSignal, (id) => {
    frameworkId = id;
  });
  setHandler(frameworkIdQuery, () => frameworkId);
  const heartbeatTimeoutSeconds = input.heartbeatTimeoutSeconds ?? 20;
  const { holdSession } = proxyActivities<SessionHostActivities>({
    // As long as the holder lives; the heartbeat is what detects its death.
    startToCloseTimeout: '3650 days',
    heartbeatTimeout: `${heartbeatTimeoutSeconds}s`,
    // Retries keep the history short; the heartbeat details carry the
    // framework id across them, and the signal above keeps it beyond.
    retry: { initialInterval: '1s', maximumInterval: '10s', backoffCoefficient: 2 },
  });
  for (let run = 0; run < RUNS_BEFORE_CONTINUE_AS_NEW; run++) {
    try {
      await holdSession({ frameworkName: input.frameworkName, frameworkId });
    } catch (err) {
      log.warn('holdSession ended with an error; starting it again', { err: String(err) });
    }
    await sleep('1s');
  }
  await continueAsNew<typeof sessionWorkflow>({
    frameworkName: input.frameworkName,
    ...(frameworkId ? { frameworkId } : {}),
    heartbeatTimeoutSeconds,
  });
}
