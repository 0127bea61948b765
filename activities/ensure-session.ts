// ensureSession: makes sure the singleton session workflow of a framework
// runs, and tells the job which framework id it has (when known).
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { parseJobSpec } from '../workflows/job-spec.js';
import type { EnsureSessionRequest, EnsureSessionResult, GeneralActivities } from './contract.js';
import { FRAMEWORK_ID_QUERY, sessionTaskQueue, sessionWorkflowId } from './contract.js';

export interface EnsureSessionDeps {
  client: Client;
  taskQueue: string;
  heartbeatTimeoutSeconds: number;
  knownFrameworkId(frameworkName: string): string | undefined;
}

/** Starts the session workflow unless it runs already (USE_EXISTING). */
export async function startSessionWorkflow(deps: EnsureSessionDeps, frameworkName: string): Promise<void> {
  try {
    await deps.client.workflow.start('sessionWorkflow', {
      workflowId: sessionWorkflowId(frameworkName),
      taskQueue: deps.taskQueue,
      args: [{ frameworkName, heartbeatTimeoutSeconds: deps.heartbeatTimeoutSeconds }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** How long a framework id learnt by query is reused before asking again. */
const QUERY_CACHE_MS = 60_000;

export function createGeneralActivities(deps: EnsureSessionDeps): GeneralActivities {
  const queried = new Map<string, { id: string; at: number }>();
  return {
    async ensureSession({ frameworkName, spec: input }: EnsureSessionRequest): Promise<EnsureSessionResult> {
      const parsed = parseJobSpec(input);
      if (!parsed.ok) {
        const message = `invalid job spec: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
        throw ApplicationFailure.create({ type: 'InvalidJobSpec', nonRetryable: true, message, details: [parsed.issues] });
      }
      await startSessionWorkflow(deps, frameworkName);
      let frameworkId = deps.knownFrameworkId(frameworkName);
      const cached = queried.get(frameworkName);
      if (frameworkId === undefined && cached && Date.now() - cached.at < QUERY_CACHE_MS) frameworkId = cached.id;
      if (frameworkId === undefined) {
        try {
          frameworkId = await deps.client.workflow.getHandle(sessionWorkflowId(frameworkName)).query<string | undefined>(FRAMEWORK_ID_QUERY);
          if (frameworkId) queried.set(frameworkName, { id: frameworkId, at: Date.now() });
        } catch {
          // Not answerable yet (first workflow task pending): the id is informational.
        }
      }
      return { frameworkId: frameworkId ?? undefined, taskQueue: sessionTaskQueue(frameworkName), spec: parsed.spec };
    },
  };
}
