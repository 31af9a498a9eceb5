import { DEFAULT_CRI_SEQUENCE } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'kubelet が containerd に送る CRI 呼び出し', en: 'The CRI calls the kubelet sends to containerd' },
  files: [{ id: 'pod', label: { ja: 'Pod マニフェスト', en: 'Pod manifest' }, lang: 'yaml', text: DEFAULT_CRI_SEQUENCE }],
};
