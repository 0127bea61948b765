// ACCEPT (spec §8.3, mesos-transcripts/07): offer validation, then the
// operations in order against the pool of offered resources; each task is
// validated (TASK_ERROR REASON_TASK_INVALID with Mesos's texts) or added in
// TASK_STAGING and sent to its agent; what is left is declined with
// accept.filters. Every problem is an UPDATE from the master, never an HTTP
// error.
import type { CallAccept, Operation, TaskInfo } from '../../mesos/schemas/index.js';
import type { Allocator } from './allocator.js';
import { allocateOn, plus, releaseOn } from './allocator.js';
import { ResourceBag } from '../../mesos/resources.js';
import { masterStatus, stateFor, updateEvent, type MasterContext } from './context.js';
import { validateTaskExecutor } from './executor-validation.js';
import { validateId } from './ids.js';
import type { FrameworkEntry, OfferEntry, TaskEntry } from './model.js';
import { accountingForm, describeResources, forArithmetic, fromArithmetic } from './resource-format.js';

export interface AcceptDeps {
  ctx: MasterContext;
  allocator: Allocator;
  launch(fw: FrameworkEntry, task: TaskEntry): void;
}

function tasksOf(op: Operation): TaskInfo[] {
  if (op.type === 'LAUNCH') return op.launch?.task_infos ?? [];
  if (op.type === 'LAUNCH_GROUP') return op.launch_group?.task_group?.tasks ?? [];
  return [];
}

/** Mesos's validation::offer::validate, after the "No offers specified" check. */
function validateOffers(ctx: MasterContext, fw: FrameworkEntry, offerIds: string[]): string | undefined {
  if (offerIds.length === 0) return 'No offers specified';
  const seen = new Set<string>();
  for (const id of offerIds) {
    if (seen.has(id)) return `Duplicate offer ${id} in offer list`;
    seen.add(id);
  }
  const offers: OfferEntry[] = [];
  for (const id of offerIds) {
    const offer = ctx.offers.get(id);
    if (offer === undefined) return `Offer ${id} is no longer valid`;
    offers.push(offer);
  }
  for (const offer of offers) {
    if (offer.frameworkId !== fw.id) return `Offer ${offer.id} has invalid framework ${offer.frameworkId} while framework ${fw.id} is expected`;
  }
  const first = offers[0] as OfferEntry;
  for (const offer of offers) {
    if (offer.role !== first.role) {
      return `Aggregated offers must be allocated to the same role. Offer ${first.id} uses role ${first.role} and offer ${offer.id} uses role ${offer.role}`;
    }
  }
  for (const offer of offers) {
    if (offer.agentId !== first.agentId) {
      return `Aggregated offers must belong to one single agent. Offer ${first.id} uses agent ${first.agentId} and offer ${offer.id} uses agent ${offer.agentId}`;
    }
  }
  return undefined;
}

/** Mesos's task validators in order (spec §8.3 step 4); `pool` is what is left of the offers. */
function validateTask(fw: FrameworkEntry, task: TaskInfo, agentId: string, pool: ResourceBag, role: string): string | undefined {
  const taskId = task.task_id.value;
  const idError = validateId(taskId);
  if (idError !== undefined) return idError;
  if (fw.tasks.has(taskId) || fw.unreachableTasks.has(taskId)) return `Task has duplicate ID: ${taskId}`;
  if (task.agent_id.value !== agentId) return `Task uses invalid agent ${task.agent_id.value} while agent ${agentId} is expected`;
  const grace = task.kill_policy?.grace_period?.nanoseconds;
  if (grace !== undefined && Number(grace) < 0) return "Task's 'kill_policy.grace_period' must be non-negative";
  const maxCompletion = task.max_completion_time?.nanoseconds;
  if (maxCompletion !== undefined && Number(maxCompletion) < 0) return "Task's 'max_completion_time' must be non-negative";
  const resources = task.resources ?? [];
  if (resources.length === 0) return 'Task uses no resources';
  for (const r of resources) {
    if (r.type === 'SCALAR' && (r.scalar === undefined || !Number.isFinite(r.scalar.value) || r.scalar.value < 0)) {
      return `Invalid resources: Invalid scalar resource ${r.name}`;
    }
  }
  if (task.container?.type === 'DOCKER' && task.container.docker === undefined) return "DockerInfo 'docker' is not set for DOCKER typed ContainerInfo";
  if ((task.command === undefined) === (task.executor === undefined)) {
    return 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present';
  }
  const executorError = validateTaskExecutor(task, fw.id);
  if (executorError !== undefined) return executorError;
  const wanted = accountingForm([...resources, ...(task.executor?.resources ?? [])]);
  let fits: boolean;
  try {
    fits = pool.contains(ResourceBag.of(forArithmetic(wanted)));
  } catch {
    fits = false;
  }
  if (!fits) {
    return `Total resources ${describeResources(wanted, role)} required by task and its executor is more than available ${describeResources(fromArithmetic(pool.toResources()), role)}`;
  }
  // A well-formed custom executor passes Mesos's checks, but the devcluster's agents only run the command executor.
  if (task.executor !== undefined) return 'Custom executors are not supported by the devcluster';
  return undefined;
}

export function handleAccept(deps: AcceptDeps, fw: FrameworkEntry, accept: CallAccept): void {
  const { ctx, allocator } = deps;
  const offerIds = (accept.offer_ids ?? []).map((o) => o.value);
  const operations = accept.operations ?? [];
  const now = ctx.now();

  const offerError = validateOffers(ctx, fw, offerIds);
  if (offerError !== undefined) {
    for (const id of offerIds) {
      const offer = ctx.offers.get(id);
      if (offer !== undefined && offer.frameworkId === fw.id) allocator.removeOffer(offer);
    }
    const state = stateFor(fw, 'TASK_DROPPED');
    for (const op of operations) {
      for (const task of tasksOf(op)) {
        const status = masterStatus({
          taskId: task.task_id.value,
          state,
          message: `Task launched with invalid offers: ${offerError}`,
          reason: 'REASON_INVALID_OFFERS',
          agentId: task.agent_id.value,
          timestampMs: now,
        });
        ctx.send(fw, updateEvent(status));
      }
      if (op.id !== undefined && op.type !== 'LAUNCH' && op.type !== 'LAUNCH_GROUP') {
        ctx.send(fw, operationError(op, `Operation launched with invalid offers: ${offerError}`));
      }
    }
    return;
  }

  const offers = offerIds.map((id) => ctx.offers.get(id) as OfferEntry);
  const first = offers[0] as OfferEntry;
  const agentId = first.agentId;
  const role = first.role;
  let pool: TaskEntry['resources'] = [];
  for (const offer of offers) {
    pool = plus(pool, offer.resources);
    allocator.removeOffer(offer);
  }
  const agent = ctx.agents.get(agentId);
  // The offers' resources stay allocated to this framework while operations consume them.
  if (agent !== undefined) allocateOn(agent, pool);
  const poolBag = ResourceBag.of(forArithmetic(pool));

  for (const op of operations) {
    const tasks = tasksOf(op);
    if (op.type === 'LAUNCH_GROUP') {
      for (const task of tasks) {
        sendTaskError(ctx, fw, task, 'LAUNCH_GROUP is not supported by the devcluster', 'REASON_TASK_GROUP_INVALID', now);
      }
      continue;
    }
    if (op.type !== 'LAUNCH') {
      ctx.logger.warn('ACCEPT operation not supported by the devcluster; ignored', { frameworkId: fw.id, operation: op.type });
      if (op.id !== undefined) ctx.send(fw, operationError(op, `Operation ${op.type} is not supported by the devcluster`));
      continue;
    }
    for (const task of tasks) {
      if (agent === undefined) {
        const status = masterStatus({
          taskId: task.task_id.value,
          state: stateFor(fw, 'TASK_DROPPED'),
          message: 'Agent removed',
          reason: 'REASON_AGENT_REMOVED',
          agentId: task.agent_id.value,
          timestampMs: now,
        });
        ctx.send(fw, updateEvent(status));
        continue;
      }
      const error = op.id !== undefined ? 'The `id` field cannot be set on LAUNCH operations' : validateTask(fw, task, agentId, poolBag, role);
      if (error !== undefined) {
        sendTaskError(ctx, fw, task, error, 'REASON_TASK_INVALID', now);
        continue;
      }
      const resources = accountingForm(task.resources ?? []);
      for (const r of ResourceBag.of(forArithmetic(resources)).toResources()) poolBag.subtract(r);
      const entry: TaskEntry = {
        taskId: task.task_id.value,
        frameworkId: fw.id,
        agentId,
        info: task,
        resources,
        role,
        state: 'TASK_STAGING',
        statuses: [],
        released: false,
      };
      fw.tasks.set(entry.taskId, entry);
      deps.launch(fw, entry);
    }
  }

  // What no operation used goes back to the pool, filtered by accept.filters.
  if (agent !== undefined) {
    const leftover = fromArithmetic(poolBag.toResources());
    if (!releaseOn(agent, leftover)) ctx.logger.error('ACCEPT leftover was not allocated on its agent', { frameworkId: fw.id, agentId });
    allocator.addFilter(fw, agentId, role, leftover, accept.filters);
  }
}

function sendTaskError(ctx: MasterContext, fw: FrameworkEntry, task: TaskInfo, message: string, reason: string, now: number): void {
  const status = masterStatus({ taskId: task.task_id.value, state: 'TASK_ERROR', message, reason, agentId: task.agent_id.value, timestampMs: now });
  ctx.send(fw, updateEvent(status));
}

function operationError(op: Operation, message: string): object {
  return {
    type: 'UPDATE_OPERATION_STATUS',
    update_operation_status: { status: { operation_id: op.id, state: 'OPERATION_ERROR', message } },
  };
}
