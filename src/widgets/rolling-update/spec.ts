import { DEFAULT_ROLLING_UPDATE_YAML } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'Deployment のローリングアップデート', en: 'A Deployment rolling update' },
  files: [{ id: 'deployment', label: { ja: 'Deployment マニフェスト', en: 'Deployment manifest' }, lang: 'yaml', text: DEFAULT_ROLLING_UPDATE_YAML }],
  usesSeed: true,
  seed: 1,
};
