import { DEFAULT_QOS_OOM, DEFAULT_QOS_OOM_NODE } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'QoS クラスと OOM killer: 誰が先に殺されるか', en: 'QoS classes and the OOM killer: who dies first' },
  files: [
    { id: 'pods', label: { ja: 'Pod (YAML)', en: 'Pods (YAML)' }, lang: 'yaml', text: DEFAULT_QOS_OOM },
    { id: 'node', label: { ja: 'ノード (YAML)', en: 'Node (YAML)' }, lang: 'yaml', text: DEFAULT_QOS_OOM_NODE },
  ],
};
