/** The `none` DiffStore (`diffs.store: none`): keeps nothing, lists nothing — shadowing without recording. */
import type { DiffStore } from '../model.js';

export function createNoneStore(): DiffStore {
  return {
    write: async () => undefined,
    list: async () => [],
    close: async () => undefined,
  };
}
