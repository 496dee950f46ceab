import { runInspections, type InspectionEnvironment } from './runInspection.ts';

/**
 * Inspects every published dataset every `intervalMinutes` (the first time one
 * interval after start), one run at a time: a run still going when the next is
 * due makes that one skip. The catalogue is read when each run starts.
 */
export class QualityScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly environment: () => InspectionEnvironment,
    private readonly intervalMinutes: number,
    private readonly log: (message: string) => void,
  ) {}

  start(): void {
    if (this.intervalMinutes <= 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMinutes * 60_000);
    this.timer.unref();
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = runInspections(this.environment(), 'schedule')
      .then((runs) => this.log(`quality inspection: ${runs.length} datasets inspected`))
      .catch((error: unknown) => this.log(`quality inspection failed: ${String(error)}`))
      .finally(() => {
        this.running = null;
      });
  }
}
