import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

// Chapters live in the top-level `content/` folder. `src/content/docs` is a
// symlink to it because Starlight (0.42) still derives each file's locale from
// the fixed `src/content/docs` path (utils/collection.ts); with Vite's
// preserveSymlinks the remark plugins see that path, so asides, code-block
// labels and other Markdown features are localised correctly.
export const collections = {
  docs: defineCollection({
    loader: glob({ pattern: '**/[^_]*.{md,mdx}', base: './src/content/docs' }),
    schema: docsSchema(),
  }),
};
