// A worker woken from many places (a commit, a poll timer, an admin's "send again"): one run at a
// time, and a wake-up during a run means one more run right after it, never a lost or a parallel one.
export class CoalescedRun {
  private running = false;
  private again = false;

  constructor(private work: () => Promise<void>) {}

  get busy(): boolean {
    return this.running;
  }

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.work().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }
}
