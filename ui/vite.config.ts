import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { licences } from './licences';

export default defineConfig({
  plugins: [sveltekit(), licences()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  test: { include: ['src/**/*.test.ts'] },
});
