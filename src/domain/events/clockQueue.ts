/**
 * PostgreSQL: this process's transactions take an org's sync clock one at a time, in arrival
 * order. Without it, every transaction of the org that is ready to end waits on the clock row
 * inside PostgreSQL, and each commit wakes all of them to find the row taken again: with 32
 * changes in flight that thundering herd cost more of the server's CPU than the changes
 * themselves. Here the others wait in a queue that costs nothing, and at most one transaction of
 * each process waits on the row. A turn lasts until the transaction holds the clock, not to its
 * commit: the next one then waits on the row inside PostgreSQL and takes it the moment the commit
 * lands, with no round trip through this process between two commits of the org. A turn is taken
 * only when every row lock of the transaction is held (syncClock.ts), so it waits on nothing but
 * turns and the one commit before it.
 */
export class ClockQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for the turn of each org (in ascending order) and returns what ends them. */
  async take(orgIds: readonly string[]): Promise<() => void> {
    const releases: (() => void)[] = [];
    for (const orgId of [...orgIds].sort()) releases.push(await this.takeOne(orgId));
    return () => {
      for (const release of releases) release();
    };
  }

  private async takeOne(orgId: string): Promise<() => void> {
    const before = this.tails.get(orgId) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = before.then(() => mine);
    this.tails.set(orgId, tail);
    await before;
    return () => {
      release();
      if (this.tails.get(orgId) === tail) this.tails.delete(orgId);
    };
  }
}
