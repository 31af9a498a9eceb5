import { DEFAULT_KUBE_PROXY_YAML } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'kube-proxy: Service からルールへ、ルールから接続の行き先へ', en: 'kube-proxy: from a Service to rules, from rules to where connections land' },
  files: [{ id: 'yaml', label: { ja: 'Service と EndpointSlice', en: 'Service and EndpointSlice' }, lang: 'yaml', text: DEFAULT_KUBE_PROXY_YAML }],
  usesSeed: true,
  seed: 1,
};
