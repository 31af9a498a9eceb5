import { DEFAULT_NAMESPACES_SCRIPT } from '@sim';
import type { WidgetSpec } from '../registry.ts';

/** Layer 1 "Namespaces": one script of unshare/nsenter/setns/ip steps (English page passes DEFAULT_NAMESPACES_SCRIPT_EN via `code`). */
export const spec: WidgetSpec = {
  title: { ja: '名前空間: 同じプロセスを内と外から見る', en: 'Namespaces: one process seen from inside and outside' },
  files: [{ id: 'script', label: { ja: 'シェルの手順', en: 'shell steps' }, lang: 'shell', text: DEFAULT_NAMESPACES_SCRIPT }],
};
