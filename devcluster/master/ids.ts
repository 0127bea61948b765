// Identifiers in Mesos's formats (spec §6): a random master id per master
// start; frameworks `<master>-0000`, offers `<master>-O<n>`, agents
// `<master>-S<n>`; a fresh UUID per subscription stream.
import { randomUUID } from 'node:crypto';

export class IdGenerator {
  readonly masterId: string;
  private frameworks = 0;
  private offers = 0;
  private agents = 0;

  constructor(masterId: string = randomUUID()) {
    this.masterId = masterId;
  }

  frameworkId(): string {
    return `${this.masterId}-${String(this.frameworks++).padStart(4, '0')}`;
  }

  offerId(): string {
    return `${this.masterId}-O${this.offers++}`;
  }

  agentId(): string {
    return `${this.masterId}-S${this.agents++}`;
  }
}

export function newStreamId(): string {
  return randomUUID();
}

/** Mesos's ID validation (common/validation.cpp validateID), shared by task, executor and framework ids. */
export function validateId(id: string): string | undefined {
  if (id.length === 0) return 'ID must not be empty';
  if (id.length > 255) return 'ID must not be greater than 255 characters';
  if (id === '.' || id === '..') return `'${id}' is disallowed`;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || id[i] === '/' || id[i] === '\\') return `'${id}' contains invalid characters`;
  }
  return undefined;
}
