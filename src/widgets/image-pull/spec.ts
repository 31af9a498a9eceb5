import { DEFAULT_IMAGE_PULL } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'イメージの pull とレイヤーの再利用', en: 'Pulling images and reusing layers' },
  files: [{ id: 'pulls', label: { ja: 'pull するイメージ', en: 'images to pull' }, lang: 'text', text: DEFAULT_IMAGE_PULL }],
};
