// The stubbed fetch every screen test answers through (see setup.ts).
import type { Mock } from 'vitest';

export function stubbedFetch(): Mock {
  return globalThis.fetch as unknown as Mock;
}
