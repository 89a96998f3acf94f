/**
 * When each finding's alert is due (AlertAfter). A Sentinel rule run raises at most 149 alerts one by one, so a
 * run of the hunter that writes thousands of findings (a mass deployment) spreads them over the analytics rule's
 * runs: the first FINDINGS_PER_SLOT are due at once, the next ones one rule interval later, and so on. Every
 * finding still gets its own alert with its entities; nothing is folded into Sentinel's summary alert.
 * One pacer lives as long as one hunter run's sink (src/findings/analyticsRule.ts explains the numbers).
 */
import { FINDINGS_PER_SLOT, RULE_FREQUENCY_MS } from './analyticsRule.js';

export class AlertPacer {
  private start: number | undefined;
  private assigned = 0;

  constructor(
    private readonly perSlot = FINDINGS_PER_SLOT,
    private readonly slotMs = RULE_FREQUENCY_MS,
  ) {}

  /** The AlertAfter of the next finding written at `now`. */
  next(now: Date): Date {
    this.start ??= now.getTime();
    const slot = Math.floor(this.assigned / this.perSlot);
    this.assigned += 1;
    return new Date(Math.max(now.getTime(), this.start + slot * this.slotMs));
  }

  /** When the last finding paced so far becomes due (undefined before the first). */
  horizon(): Date | undefined {
    if (this.start === undefined) return undefined;
    return new Date(this.start + Math.floor(Math.max(this.assigned - 1, 0) / this.perSlot) * this.slotMs);
  }
}
