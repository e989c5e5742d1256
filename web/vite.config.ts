// The web client's dev server (`npm start` runs it on :3000) and production build (dist/).
// /graphql goes to the gateway, WebSocket upgrades (subscriptions) included.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: Number(process.env.WEB_PORT ?? 3000),
    strictPort: true,
    proxy: { '/graphql': { target: gateway, ws: true, changeOrigin: true } },
  },
  build: { outDir: 'dist', sourcemap: true },
});
