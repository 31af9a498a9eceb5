import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['sim/**/*.test.ts', 'src/**/*.test.ts'],
    benchmark: { include: ['sim/bench/**/*.bench.ts'] },
  },
});
