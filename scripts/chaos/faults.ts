// Injecting one fault into a running chaos stack. Each returns the moment
// the fault took effect (the SIGKILL, the accepted POST) and what it hit.
import type { ManagedProcess } from './processes.js';
import type { FaultRecord } from './figures.js';
import { getJson, postJson, retry, sessionHolderPid, topology } from './observe.js';
import type { ScheduledFault } from './schedule.js';
import type { ChaosStack } from './stack.js';

export interface FaultContext {
  stack: ChaosStack;
  frameworkName: string;
  agentResources: string;
}

/** The process holding the session, waiting (bounded) while the session is between holders. */
async function holder(ctx: FaultContext, timeoutMs: number): Promise<ManagedProcess | undefined> {
  const all = [ctx.stack.app, ...ctx.stack.workers];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pid = await sessionHolderPid(ctx.stack.client, ctx.frameworkName).catch(() => undefined);
    const p = pid === undefined ? undefined : all.find((x) => x.owns(pid));
    if (p) return p;
    await new Promise((r) => setTimeout(r, 500));
  }
  return undefined;
}

async function killAndRestart(p: ManagedProcess): Promise<number> {
  const at = Date.now();
  await p.kill('SIGKILL');
  p.start();
  return at;
}

export async function injectFault(ctx: FaultContext, fault: ScheduledFault): Promise<FaultRecord> {
  const { stack } = ctx;
  switch (fault.kind) {
    case 'worker-kill': {
      const h = await holder(ctx, 60_000);
      const [first, second] = stack.workers;
      const [preferred, other] = fault.worker === 1 ? [second, first] : [first, second];
      const target = preferred === h ? other : preferred;
      const at = await killAndRestart(target);
      return { kind: fault.kind, at, detail: `${target.spec.name} (session held by ${h?.spec.name ?? 'nobody known'})` };
    }
    case 'holder-kill': {
      const h = await holder(ctx, 120_000);
      if (h === undefined) throw new Error('no process held the framework session within 120 s');
      const at = await killAndRestart(h);
      return { kind: fault.kind, at, detail: h.spec.name };
    }
    case 'temporal-restart': {
      const at = Date.now();
      await stack.temporal.kill('SIGKILL');
      stack.temporal.start();
      await stack.waitTemporal(120_000);
      return { kind: fault.kind, at, detail: `down ${((Date.now() - at) / 1000).toFixed(1)} s` };
    }
    case 'master-failover': {
      const at = Date.now();
      const r = (await postJson(`${stack.masterUrls[0]}/__devcluster/leader`, {})) as { leader: string | null };
      return { kind: fault.kind, at, detail: `leader now ${r.leader ?? 'none'}` };
    }
    case 'agent-remove': {
      const t = await topology(stack.masterUrls);
      const agent = t.agents[0];
      if (agent === undefined) throw new Error('the devcluster has no agent to remove');
      const at = Date.now();
      await postJson(`${stack.masterUrls[0]}/__devcluster/agents/${encodeURIComponent(agent.id)}/remove`, { mode: 'gone' });
      const added = (await postJson(`${stack.masterUrls[0]}/__devcluster/agents`, { resources: ctx.agentResources })) as { id: string };
      return { kind: fault.kind, at, detail: `${agent.id} removed, ${added.id} added` };
    }
    case 'stream-stall': {
      // The framework must be connected to stall its stream: wait (bounded) for it.
      const id = await retry(
        'a connected framework to stall',
        async () => {
          const t = await topology(stack.masterUrls);
          const leader = t.masters[t.leader ?? 0] as string;
          const fws = (await getJson(`${leader}/master/frameworks`)) as { frameworks: Array<{ id: string; name: string; connected: boolean }> };
          const fw = fws.frameworks.find((f) => f.name === ctx.frameworkName && f.connected);
          if (!fw) throw new Error(`framework ${ctx.frameworkName} is not connected`);
          await postJson(`${stack.masterUrls[0]}/__devcluster/frameworks/${encodeURIComponent(fw.id)}/stall`, {});
          return fw.id;
        },
        120_000,
      );
      return { kind: fault.kind, at: Date.now(), detail: `framework ${id}` };
    }
  }
}
