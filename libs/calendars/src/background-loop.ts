/**
 * A round every `delayMs()` until stopped, one at a time: the shape both the calendar sync and the calendar writer
 * run in. A round that throws is logged by `round` itself (the database may be away for a moment) and never ends the
 * process; `stop()` waits for the round in hand.
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private current: Promise<unknown> | null = null;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly delayMs: () => number,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current?.catch(() => undefined);
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.current = this.round()
        .catch(() => undefined)
        .finally(() => {
          this.current = null;
          if (this.running) this.schedule(this.delayMs());
        });
    }, delay);
    this.timer.unref?.();
  }
}
