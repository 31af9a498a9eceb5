import { DEFAULT_MEMORY_PRESSURE } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'cgroup v2 のメモリ: 回収・スロットル・OOM kill', en: 'cgroup v2 memory: reclaim, throttling, OOM kill' },
  files: [{ id: 'cgroup', label: { ja: 'cgroup ファイルと負荷', en: 'cgroup files and workload' }, lang: 'text', text: DEFAULT_MEMORY_PRESSURE }],
};
