// One check at a time: a request while a check runs queues exactly one more (however many
// saves arrive meanwhile), so the last save is always checked and checks never pile up.

/** What asked for a check: a save (failing-first) or the learner's key (the full suite). */
export type CheckTrigger = "save" | "key";

export class CheckQueue {
  private running = false;
  private queued: CheckTrigger | undefined;

  constructor(
    private readonly run: (trigger: CheckTrigger) => Promise<void>,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  get busy(): boolean {
    return this.running;
  }

  get waiting(): CheckTrigger | undefined {
    return this.queued;
  }

  request(trigger: CheckTrigger): void {
    if (this.running) {
      // A key press asks for the full suite; a save queued with it does not weaken that.
      this.queued = this.queued === "key" || trigger === "key" ? "key" : "save";
      return;
    }
    void this.drain(trigger);
  }

  /** Forgets the queued check (the countdown is ending, or watching was turned off). */
  clear(): void {
    this.queued = undefined;
  }

  private async drain(first: CheckTrigger): Promise<void> {
    this.running = true;
    let next: CheckTrigger | undefined = first;
    try {
      while (next) {
        try {
          await this.run(next);
        } catch (error) {
          this.onError(error);
        }
        next = this.queued;
        this.queued = undefined;
      }
    } finally {
      this.running = false;
    }
  }
}
