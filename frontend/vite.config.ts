import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The portal is served by `accord` from the same origin as /graphql. In development, `npm run
// dev` proxies the API to a running `accord serve` (VITE_PROXY_TARGET, default http://127.0.0.1:8080).
const api = process.env.VITE_PROXY_TARGET ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    // A strict CSP (script-src 'self') forbids inline scripts: keep everything in files.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { '/graphql': api, '/auth': api },
  },
});
