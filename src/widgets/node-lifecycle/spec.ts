import { DEFAULT_NODE_LIFECYCLE_SCRIPT } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'ノードのハートビートが止まったとき', en: 'When a node stops heartbeating' },
  files: [{ id: 'script', label: { ja: 'シナリオ', en: 'scenario' }, lang: 'text', text: DEFAULT_NODE_LIFECYCLE_SCRIPT }],
  usesSeed: true,
  seed: 1,
};
