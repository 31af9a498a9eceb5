// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import preact from '@astrojs/preact';
import { fileURLToPath } from 'node:url';
import { remarkMermaid } from './src/build/remark-mermaid.mjs';
import { remarkHeadingIds } from './src/build/remark-heading-ids.mjs';

const layers = [
  ['layer-0', 'Layer 0 ハードウェア', 'Layer 0 Hardware'],
  ['layer-1', 'Layer 1 Linux カーネル', 'Layer 1 Linux kernel'],
  ['layer-2', 'Layer 2 コンテナランタイム', 'Layer 2 Container runtime'],
  ['layer-3', 'Layer 3 コントロールプレーン', 'Layer 3 Control plane'],
  ['layer-4', 'Layer 4 Helm と Lens', 'Layer 4 Helm and Lens'],
  ['layer-5', 'Layer 5 サービスメッシュ', 'Layer 5 Service mesh'],
  ['layer-6', 'Layer 6 Karpenter と Crossplane', 'Layer 6 Karpenter and Crossplane'],
  ['layer-7', 'Layer 7 PaaS', 'Layer 7 PaaS'],
];

export default defineConfig({
  site: 'http://127.0.0.1:4321',
  trailingSlash: 'ignore',
  markdown: { remarkPlugins: [remarkHeadingIds, remarkMermaid] },
  integrations: [
    starlight({
      title: { ja: 'Kubernetes スタック解剖', en: 'Kubernetes, layer by layer' },
      defaultLocale: 'root',
      locales: {
        root: { label: '日本語', lang: 'ja' },
        en: { label: 'English', lang: 'en' },
      },
      sidebar: [
        { label: '全体像', translations: { en: 'Overview' }, link: '/' },
        ...layers.map(([dir, ja, en]) => ({
          label: ja,
          translations: { en },
          items: [{ autogenerate: { directory: dir } }],
        })),
        { label: 'Journey 一つのリクエスト', translations: { en: 'Journey: one request' }, items: [{ autogenerate: { directory: 'journey' } }] },
      ],
      customCss: ['./src/styles/book.css'],
      head: [
        {
          // Starlight's search button shows "Search" and its shortcut keys with no
          // space between them but is named only "Search"; axe
          // (label-content-name-mismatch) wants the visible words inside the name.
          // Spaces between the keys (ignored by the flex layout) and the name
          // "Search Ctrl K" satisfy it.
          tag: 'script',
          content:
            "document.addEventListener('DOMContentLoaded',()=>{for(const b of document.querySelectorAll('button[data-open-modal]')){const keys=[...b.querySelectorAll('kbd kbd')];if(!keys.length)continue;for(const k of [keys[0].parentElement,...keys])k.before(' ');const l=b.getAttribute('aria-label')||'';b.setAttribute('aria-label',l+' '+keys.map(x=>x.textContent.trim()).join(' '))}})",
        },
      ],
      lastUpdated: false,
      pagination: true,
    }),
    preact(),
  ],
  vite: {
    resolve: {
      preserveSymlinks: true,
      alias: {
        '@sim': fileURLToPath(new URL('./sim/src/index.ts', import.meta.url)),
        '@components': fileURLToPath(new URL('./src/components', import.meta.url)),
        '@widgets': fileURLToPath(new URL('./src/widgets', import.meta.url)),
      },
    },
  },
});
