// The debtor portal's own build: the same React code on Preact's compat
// layer (about 4 KB instead of React's 60), because debtors open it on
// phones on prepaid data (issue 16: ≤ 100 KB, interactive fast on 3G).
// Written after the app's build into the same folder.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: [
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
      { find: /^react$/, replacement: 'preact/compat' },
    ],
  },
  build: {
    outDir: here('../build/web'),
    emptyOutDir: false,
    sourcemap: false,
    rollupOptions: { input: { portal: here('portal.html') } },
  },
});
