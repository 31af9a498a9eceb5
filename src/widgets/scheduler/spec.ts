import { DEFAULT_SCHEDULER_NODES_YAML, DEFAULT_SCHEDULER_POD_YAML, DEFAULT_SCHEDULER_PROFILE_YAML } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'kube-scheduler の 1 サイクル: Filter と Score', en: 'One kube-scheduler cycle: Filter and Score' },
  files: [
    { id: 'nodes', label: { ja: 'ノード (と動いている Pod)', en: 'Nodes (and running Pods)' }, lang: 'yaml', text: DEFAULT_SCHEDULER_NODES_YAML },
    { id: 'pod', label: { ja: 'スケジュールする Pod', en: 'Pod to schedule' }, lang: 'yaml', text: DEFAULT_SCHEDULER_POD_YAML },
    { id: 'profile', label: { ja: 'KubeSchedulerConfiguration', en: 'KubeSchedulerConfiguration' }, lang: 'yaml', text: DEFAULT_SCHEDULER_PROFILE_YAML },
  ],
  usesSeed: true,
  seed: 1,
};
