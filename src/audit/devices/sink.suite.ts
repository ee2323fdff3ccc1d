import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditSink } from './sink.js';

/** One sink under test, pointed at a real destination the harness reads back. */
export interface SinkUnderTest {
  sink: AuditSink;
  /** The entries the destination holds (payload only, framing removed), once at least `n` arrived. */
  received(n: number): Promise<string[]>;
  cleanup(): Promise<void>;
}

/**
 * The contract every audit sink keeps (DESIGN.md habit 3: one conformance suite per interface), run against each
 * real implementation: entries arrive whole and in order, concurrent writes included, and `close` lands every
 * write already handed over before releasing the destination.
 */
export function sinkConformance(name: string, make: () => Promise<SinkUnderTest>): void {
  describe(`${name}: AuditSink conformance`, () => {
    let t: SinkUnderTest;
    beforeEach(async () => {
      t = await make();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    const line = (i: number): string => JSON.stringify({ type: 'request', request: { id: `req-${i}`, path: 'secret/data/x' } });

    it('delivers each entry whole and in order', async () => {
      for (let i = 0; i < 5; i++) await t.sink.write(Buffer.from(`${line(i)}\n`));
      expect(await t.received(5)).toEqual([0, 1, 2, 3, 4].map(line));
    });

    it('keeps every entry of concurrent writes, in the order they were handed over', async () => {
      const n = 40;
      await Promise.all(Array.from({ length: n }, (_, i) => t.sink.write(Buffer.from(`${line(i)}\n`))));
      expect(await t.received(n)).toEqual(Array.from({ length: n }, (_, i) => line(i)));
    });

    it('close waits for writes already handed over', async () => {
      const writes = Array.from({ length: 10 }, (_, i) => t.sink.write(Buffer.from(`${line(i)}\n`)));
      await t.sink.close();
      await Promise.all(writes);
      expect(await t.received(10)).toHaveLength(10);
    });
  });
}
