// The business's web app (index.html). The debtor portal (portal.html) is
// built apart, on Preact (vite.portal.config.ts), into the same folder.
// `npm run build` writes ../build/web, which `cartera serve` serves.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: here('../build/web'),
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      input: { app: here('index.html') },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
});
