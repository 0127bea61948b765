// The order in which a job applies its task's status updates (pure).
//
// An attempt's first updates (STARTING, RUNNING) come back in the result of
// its placeAndLaunch activity; later ones come as signals. Temporal can hand
// the workflow both in one activation, and it runs signal handlers before it
// resolves the activity's result: applied as they are handed over, a
// TASK_FINISHED signal would be recorded before the STARTING and RUNNING it
// followed at Mesos (the session acknowledges RUNNING only after Temporal
// recorded the completion, so the agent sends FINISHED only after that).
// So while an attempt's placeAndLaunch is open, signals wait here, and are
// applied after the activity's updates, in their order of arrival. Both
// orders are fixed by the history, so a replay applies the same sequence.

export class UpdateGate<U> {
  private held: U[] | undefined;

  /** From now on, updates are held until release(). */
  hold(): void {
    this.held ??= [];
  }

  /** Applies `u` now, or holds it while the gate is closed. */
  offer(u: U, apply: (u: U) => void): void {
    if (this.held) this.held.push(u);
    else apply(u);
  }

  /** Applies `first` (the activity's own updates), then every held update in arrival order, and opens the gate. */
  release(first: readonly U[], apply: (u: U) => void): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const u of first) apply(u);
    for (const u of held) apply(u);
  }

  get holding(): boolean {
    return this.held !== undefined;
  }
}
