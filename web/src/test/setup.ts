// Vitest set-up for every test file: openapi-fetch keeps the fetch it finds
// when the API client is created, so the stub must be in place before any
// test imports a screen; and Request takes same-origin paths as a browser
// does.
import { vi } from 'vitest';

globalThis.fetch = vi.fn() as unknown as typeof fetch;
const BaseRequest = globalThis.Request;
globalThis.Request = class extends BaseRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' && input.startsWith('/') ? `http://localhost${input}` : input, init);
  }
} as typeof Request;
