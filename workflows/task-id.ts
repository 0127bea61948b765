// Task ids are derived from the workflow id and the attempt so that a launch
// retried after a crash names the same task (the master can be asked about
// it) and a status update can be routed back to its job without any lookup
// table. Mesos forbids "/" and control characters in ids, so those (and the
// escape character itself) are percent-encoded: the mapping stays reversible.

function encode(workflowId: string): string {
  // eslint-disable-next-line no-control-regex
  return workflowId.replace(/[%/\u0000-\u001f\u007f]/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase());
}

export function deriveTaskId(workflowId: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  if (workflowId === '') throw new RangeError('workflow id must not be empty');
  return `${encode(workflowId)}.${attempt}`;
}

export interface ParsedTaskId {
  workflowId: string;
  attempt: number;
}

export function parseTaskId(taskId: string): ParsedTaskId | undefined {
  const m = /^(.+)\.([1-9]\d*)$/.exec(taskId);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const workflowId = m[1].replace(/%([0-9A-F]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16)));
  const attempt = Number(m[2]);
  if (!Number.isSafeInteger(attempt)) return undefined;
  return { workflowId, attempt };
}
