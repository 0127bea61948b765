// The tasks this session launched or heard of while their attempt runs: for
// explicit reconciliation after a subscribe and for UNIQUE placement.
import type { HeldOffer } from './offer-book.js';
import { endsAttempt } from '../../workflows/task-states.js';

export interface KnownTask {
  agentId: string | undefined;
  hostname: string | undefined;
  state: string;
  uniqueGroups: string[];
}

/** Every task believed live, as a reconciliation entry. */
export function liveTaskRefs(tasks: Map<string, KnownTask>): Array<{ task_id: string; agent_id: string | undefined }> {
  return [...tasks.entries()].filter(([, t]) => !endsAttempt(t.state)).map(([taskId, t]) => ({ task_id: taskId, agent_id: t.agentId }));
}

/** For each UNIQUE group, the hosts a live task or an outstanding lease of the group already occupies. */
export function hostsInUse(tasks: Map<string, KnownTask>, offers: Map<string, HeldOffer>): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  const add = (groups: string[], host: string | undefined) => {
    if (!host) return;
    for (const g of groups) {
      let s = m.get(g);
      if (!s) m.set(g, (s = new Set()));
      s.add(host);
    }
  };
  for (const t of tasks.values()) if (!endsAttempt(t.state)) add(t.uniqueGroups, t.hostname);
  for (const h of offers.values()) for (const l of h.leases.values()) if (l.state !== 'expired' && l.state !== 'released') add(l.uniqueGroups, h.offer.hostname);
  return m;
}
