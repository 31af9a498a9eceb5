import { DEFAULT_SHIM_RESTART } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'containerd を再起動してもコンテナは止まらない', en: 'Restarting containerd does not stop the containers' },
  files: [{ id: 'script', label: { ja: 'シナリオ', en: 'scenario' }, lang: 'text', text: DEFAULT_SHIM_RESTART }],
};
