/**
 * @module How long this replica takes to fan a change out: from the feed handing it to the config
 * streams to the last of them writing its frame to the socket. With the notify lag (commit to
 * hand-out) it tells the server's share of a change's propagation from the network's and the
 * workers' (issue 20). Only streams that are live when the change comes are timed: one still
 * writing its snapshot sends the change after it, which says nothing of the fan-out.
 */

/** Changes still waiting for a stream after this long are dropped, unobserved (a stuck socket is not a fan-out time). */
const GIVE_UP_MS = 60_000;

export class FanoutTimer {
  private readonly open = new Map<number, { started: number; waiting: number }>();

  constructor(
    private readonly observe: (seconds: number) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A live stream takes change `seq` (all streams take it in the same turn of the event loop). */
  begin(seq: number): void {
    const entry = this.open.get(seq);
    if (entry) entry.waiting += 1;
    else {
      this.forgetStale();
      this.open.set(seq, { started: this.now(), waiting: 1 });
    }
  }

  /** That stream has written the change's frame to its socket (or will not: closed, or not for it). */
  end(seq: number): void {
    const entry = this.open.get(seq);
    if (!entry) return;
    entry.waiting -= 1;
    if (entry.waiting > 0) return;
    this.open.delete(seq);
    this.observe((this.now() - entry.started) / 1000);
  }

  /** Changes not yet written by every stream (for tests and diagnostics). */
  get pending(): number {
    return this.open.size;
  }

  private forgetStale(): void {
    const cutoff = this.now() - GIVE_UP_MS;
    for (const [seq, entry] of this.open) if (entry.started < cutoff) this.open.delete(seq);
  }
}
