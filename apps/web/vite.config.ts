import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The built UI is served by the Genba server at `/` next to the Jaeger query API (same origin).
// `npm run dev -w @genba/web` proxies /api to a running server (GENBA_QUERY_URL, default :16686).
const target = process.env.GENBA_QUERY_URL ?? 'http://127.0.0.1:16686';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': { target, changeOrigin: true } } },
});
