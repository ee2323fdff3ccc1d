import type { Core } from '../core/core.js';
import { definePath, rfc3339Nano, type PathSpec } from '../framework/index.js';

/** sys/rotate and sys/key-status (§2.8). */
export function keyringPaths(core: Core): PathSpec[] {
  return [
    definePath({
      pattern: 'rotate',
      synopsis: 'Adds a new barrier encryption key term; new writes use it, old values stay readable.',
      fields: {},
      operations: {
        update: async () => {
          await core.rotate();
          return null;
        },
      },
    }),
    definePath({
      pattern: 'key-status',
      synopsis: 'The active barrier key term.',
      fields: {},
      operations: {
        read: async () => {
          const s = core.barrier.keyStatus();
          return { data: { term: s.term, install_time: rfc3339Nano(s.installTime), encryptions: s.encryptions } };
        },
      },
    }),
  ];
}
