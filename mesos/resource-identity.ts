// What makes two Mesos resources "the same kind" (addable/subtractable in
// Mesos's terms, src/common/resources.cpp): name, type, reservation stack,
// allocation role, disk info, revocability, sharedness and resource provider.
// Both resource formats of spec §5 map to the same identity: the
// pre-refinement `role` (+ `reservation`) is converted to the refinement
// `reservations` stack, and `"role":"*"` equals no role at all.

import type { Resource } from './resource-types.js';

export interface NormalizedReservation {
  type: string | undefined;
  role: string;
  principal: string | undefined;
  labels: unknown;
}

/** Thrown for a resource Mesos would reject: negative scalar, inverted range, missing value. */
export class InvalidResourceError extends Error {
  readonly resource: string;
  constructor(resource: string, problem: string) {
    super(`Invalid resource ${resource}: ${problem}`);
    this.name = new.target.name;
    this.resource = resource;
  }
}

/** The reservation stack, oldest first, whatever format the resource is in. */
export function reservationsOf(r: Resource): NormalizedReservation[] {
  const stack = r.reservations;
  if (stack != null && stack.length > 0) {
    return stack.map((x) => ({ type: x.type ?? undefined, role: x.role ?? '*', principal: x.principal ?? undefined, labels: x.labels ?? undefined }));
  }
  const role = r.role;
  if (role == null || role === '*') return [];
  const dyn = r.reservation;
  return [{ type: dyn != null ? 'DYNAMIC' : 'STATIC', role, principal: dyn?.principal ?? undefined, labels: dyn?.labels ?? undefined }];
}

/** The role the resource is reserved for (the last refinement), or undefined when unreserved. */
export function reservationRole(r: Resource): string | undefined {
  const stack = r.reservations;
  if (stack != null && stack.length > 0) return stack[stack.length - 1]?.role ?? undefined;
  const role = r.role;
  return role == null || role === '*' ? undefined : role;
}

export function isUnreserved(r: Resource): boolean {
  return reservationRole(r) === undefined;
}

export function allocationRole(r: Resource): string | undefined {
  return r.allocation_info?.role ?? undefined;
}

/** Whether `role` is a strict sub-role of `parent` in Mesos's hierarchical roles (`eng/web` of `eng`). */
export function isStrictSubrole(role: string, parent: string): boolean {
  return role.length > parent.length && role.startsWith(parent) && role[parent.length] === '/';
}

/**
 * Mesos's `isAllocatableTo`: unreserved resources, and resources reserved for
 * the role or for one of its ancestors, may be allocated to the role.
 */
export function isAllocatableTo(r: Resource, role: string): boolean {
  const rr = reservationRole(r);
  return rr === undefined || rr === role || isStrictSubrole(role, rr);
}

/**
 * Resources Mesos never adds together: shared resources (counted as copies),
 * persistent volumes and MOUNT/BLOCK/RAW disks (taken whole). Such a resource
 * is one indivisible unit; equal units are counted, not summed.
 */
export function isUnitResource(r: Resource): boolean {
  if (r.shared != null) return true;
  const disk = r.disk;
  if (disk == null) return false;
  if (disk.persistence != null) return true;
  const src = disk.source?.type;
  return src === 'MOUNT' || src === 'BLOCK' || src === 'RAW';
}

/** JSON with sorted keys (and bigints as strings) so equal messages give equal text. */
export function stableJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined && obj[k] !== null).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`).join(',')}}`;
}

/**
 * The identity key: resources with equal keys merge by adding their values.
 * The value itself is not part of it (see `unitKey` for indivisible resources).
 */
export function identityKey(r: Resource): string {
  let key = `${r.name}\u0000${r.type}\u0000`;
  for (const res of reservationsOf(r)) {
    key += `${res.type ?? ''}/${res.role}/${res.principal ?? ''}/${res.labels === undefined ? '' : stableJson(res.labels)};`;
  }
  const alloc = r.allocation_info;
  key += `\u0000${alloc == null ? '-' : `=${alloc.role ?? ''}`}`;
  if (r.disk != null) key += `\u0000d${stableJson(r.disk)}`;
  if (r.revocable != null) key += '\u0000revocable';
  if (r.shared != null) key += '\u0000shared';
  if (r.provider_id != null) key += `\u0000p${r.provider_id.value}`;
  return key;
}

/** Human-readable description for error messages: `cpus(reserved for web, allocated to web)`. */
export function describeResource(r: Resource): string {
  const parts: string[] = [];
  const stack = reservationsOf(r);
  if (stack.length > 0) {
    parts.push(`reserved for ${stack.map((s) => `${s.role}${s.type === 'DYNAMIC' ? ` by ${s.principal ?? '?'}` : ''}`).join(' > ')}`);
  }
  const alloc = allocationRole(r);
  if (alloc !== undefined) parts.push(`allocated to ${alloc}`);
  if (r.disk?.persistence != null) parts.push(`volume ${r.disk.persistence.id}`);
  if (r.disk?.source != null) parts.push(`${r.disk.source.type} disk`);
  if (r.revocable != null) parts.push('revocable');
  if (r.shared != null) parts.push('shared');
  return parts.length === 0 ? r.name : `${r.name}(${parts.join(', ')})`;
}

/** Scalars have 3-decimal fixed-point precision in Mesos: values are compared and added as integer thousandths. */
export function toMilli(value: number): number {
  return Math.round(value * 1000);
}

export function fromMilli(milli: number): number {
  return milli / 1000;
}
