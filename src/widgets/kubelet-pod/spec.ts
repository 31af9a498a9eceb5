import { DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'kubelet: Pod の起動・プローブ・再起動', en: 'kubelet: starting, probing and restarting a Pod' },
  files: [
    { id: 'pod', label: { ja: 'Pod マニフェスト', en: 'Pod manifest' }, lang: 'yaml', text: DEFAULT_KUBELET_POD },
    { id: 'behaviour', label: { ja: 'コンテナ内プログラムのふるまい', en: 'What the program does' }, lang: 'text', text: DEFAULT_KUBELET_BEHAVIOUR },
  ],
  usesSeed: true,
  seed: 1,
};
