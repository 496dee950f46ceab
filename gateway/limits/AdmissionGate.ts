import type { AdmissionLimitName, InFlightLimitName } from '../../schema/index.ts';
import type { AdmissionBounds, InFlightLimits } from '../../server/index.ts';

/** What one request asks of the gate: whose share it counts against, and its weight. */
export interface AdmissionRequest {
  consumer: string;
  /** The consumer's share of this gateway process. */
  share: InFlightLimits;
  /** The operation's estimated cost (at least 1 is counted). */
  cost: number;
}

/** Why the gate refused a request, for the caller's error. */
export class AdmissionRefusal extends Error {
  override name = 'AdmissionRefusal';

  constructor(
    readonly limit: AdmissionLimitName,
    readonly maximum: number,
    readonly waitingOn: InFlightLimitName,
    readonly retryAfterSeconds: number,
  ) {
    super(`not admitted: ${limit} (${maximum}), waiting on ${waitingOn}`);
  }
}

/** One request at the gate. */
export interface Admission {
  /** Resolves once the request may run; rejects with an {@link AdmissionRefusal}. */
  readonly ready: Promise<void>;
  /**
   * The request is done (or abandoned): frees its room, or leaves the queue
   * (`ready` then never settles). Idempotent.
   */
  leave(): void;
}

interface Ticket {
  consumer: ConsumerState;
  cost: number;
  state: 'waiting' | 'running' | 'left';
  admit: () => void;
  refuse: (refusal: AdmissionRefusal) => void;
  timer: NodeJS.Timeout | null;
}

interface ConsumerState {
  key: string;
  share: InFlightLimits;
  running: number;
  cost: number;
  waiting: Ticket[];
}

/** What a refused caller is told to wait: room usually frees within a second. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Admission control for one gateway process: at most `share.inFlight` requests
 * and `share.costInFlight` estimated cost in flight per consumer, at most
 * `bounds.inFlight` and `bounds.costInFlight` for the process. A request over
 * them waits in its consumer's queue (first in, first out, at most
 * `share.queued`; all queues together at most `bounds.queued`), and when room
 * frees the consumers take turns (round robin), so a light caller is never
 * behind a heavy one's queue. A request is refused at once when its queue is
 * full, and when it has waited `bounds.queueWaitMs`. An operation costlier than
 * a cost bound runs when nothing else of that bound is in flight, so every
 * operation within the operation limits can run.
 *
 * Only this process is counted: replicas each admit their own share, as each
 * has its own cores (the per-second rates are the ones shared by replicas).
 */
export class AdmissionGate {
  private readonly consumers = new Map<string, ConsumerState>();
  /** Consumers with a request waiting, in the order they take their turns. */
  private turns: ConsumerState[] = [];
  private running = 0;
  private cost = 0;
  private waiting = 0;

  constructor(private readonly bounds: AdmissionBounds) {}

  /** Requests in flight and waiting, and their cost in flight (for logs and tests). */
  get load(): { running: number; cost: number; waiting: number } {
    return { running: this.running, cost: this.cost, waiting: this.waiting };
  }

  enter(request: AdmissionRequest): Admission {
    const consumer = this.consumer(request.consumer, request.share);
    let admit!: () => void;
    let refuse!: (refusal: AdmissionRefusal) => void;
    const ready = new Promise<void>((resolve, reject) => {
      admit = resolve;
      refuse = reject;
    });
    const ticket: Ticket = {
      consumer,
      cost: Math.max(1, request.cost),
      state: 'waiting',
      admit,
      refuse,
      timer: null,
    };
    const leave = () => this.leave(ticket);
    if (consumer.waiting.length === 0 && this.blockedBy(ticket) === null) {
      this.start(ticket);
      return { ready, leave };
    }
    const full =
      consumer.waiting.length >= consumer.share.queued
        ? new AdmissionRefusal(
            'queued',
            consumer.share.queued,
            this.waitingOn(ticket),
            RETRY_AFTER_SECONDS,
          )
        : this.waiting >= this.bounds.queued
          ? new AdmissionRefusal(
              'gatewayQueued',
              this.bounds.queued,
              this.waitingOn(ticket),
              RETRY_AFTER_SECONDS,
            )
          : null;
    if (full) {
      ticket.state = 'left';
      this.forgetIfIdle(consumer);
      refuse(full);
      return { ready, leave };
    }
    consumer.waiting.push(ticket);
    this.waiting++;
    if (consumer.waiting.length === 1) this.turns.push(consumer);
    ticket.timer = setTimeout(() => {
      const refusal = new AdmissionRefusal(
        'queueWaitMs',
        this.bounds.queueWaitMs,
        this.waitingOn(ticket),
        RETRY_AFTER_SECONDS,
      );
      this.dequeue(ticket);
      ticket.refuse(refusal);
      this.dispatch();
    }, this.bounds.queueWaitMs);
    ticket.timer.unref();
    return { ready, leave };
  }

  private leave(ticket: Ticket): void {
    switch (ticket.state) {
      case 'left':
        return;
      case 'waiting':
        this.dequeue(ticket);
        // Its turn may have been what held the others back.
        this.dispatch();
        return;
      case 'running': {
        ticket.state = 'left';
        const { consumer } = ticket;
        consumer.running--;
        consumer.cost -= ticket.cost;
        this.running--;
        this.cost -= ticket.cost;
        this.dispatch();
        this.forgetIfIdle(consumer);
        return;
      }
    }
  }

  /** Admits waiting requests while any fits, one per consumer in turn. */
  private dispatch(): void {
    for (let admitted = true; admitted;) {
      admitted = false;
      for (let i = 0; i < this.turns.length; i++) {
        const consumer = this.turns[i]!;
        const head = consumer.waiting[0]!;
        if (this.blockedBy(head) !== null) continue;
        consumer.waiting.shift();
        this.waiting--;
        this.turns.splice(i, 1);
        if (consumer.waiting.length > 0) this.turns.push(consumer);
        clearTimeout(head.timer!);
        this.start(head);
        admitted = true;
        break;
      }
    }
  }

  private start(ticket: Ticket): void {
    ticket.state = 'running';
    ticket.consumer.running++;
    ticket.consumer.cost += ticket.cost;
    this.running++;
    this.cost += ticket.cost;
    ticket.admit();
  }

  private dequeue(ticket: Ticket): void {
    const { consumer } = ticket;
    ticket.state = 'left';
    clearTimeout(ticket.timer!);
    const index = consumer.waiting.indexOf(ticket);
    if (index >= 0) {
      consumer.waiting.splice(index, 1);
      this.waiting--;
      if (consumer.waiting.length === 0) this.turns = this.turns.filter((c) => c !== consumer);
    }
    this.forgetIfIdle(consumer);
  }

  /**
   * The bound that keeps `ticket` from running now, or null when it fits. A
   * cost bound lets anything through when nothing of it is in flight.
   */
  private blockedBy(ticket: Ticket): InFlightLimitName | null {
    const { consumer, cost } = ticket;
    if (consumer.running >= consumer.share.inFlight) return 'inFlight';
    if (consumer.running > 0 && consumer.cost + cost > consumer.share.costInFlight) {
      return 'costInFlight';
    }
    if (this.running >= this.bounds.inFlight) return 'gatewayInFlight';
    if (this.running > 0 && this.cost + cost > this.bounds.costInFlight) {
      return 'gatewayCostInFlight';
    }
    return null;
  }

  /** What a refused request was waiting on: behind its own queue, its consumer's share. */
  private waitingOn(ticket: Ticket): InFlightLimitName {
    const head = ticket.consumer.waiting[0];
    if (head && head !== ticket) return this.blockedBy(head) ?? 'inFlight';
    return this.blockedBy(ticket) ?? 'inFlight';
  }

  private consumer(key: string, share: InFlightLimits): ConsumerState {
    let consumer = this.consumers.get(key);
    if (!consumer) {
      consumer = { key, share, running: 0, cost: 0, waiting: [] };
      this.consumers.set(key, consumer);
    }
    // The newest request's limits apply (a configuration reload, a changed role).
    consumer.share = share;
    return consumer;
  }

  private forgetIfIdle(consumer: ConsumerState): void {
    if (consumer.running === 0 && consumer.waiting.length === 0) {
      this.consumers.delete(consumer.key);
    }
  }
}
