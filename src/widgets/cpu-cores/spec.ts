import { DEFAULT_CPU_CORES } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'コアとスレッド: requests・limits・cpuset', en: 'Cores and threads: requests, limits, cpuset' },
  files: [{ id: 'threads', label: { ja: 'スレッドとコア (YAML)', en: 'threads and cores (YAML)' }, lang: 'yaml', text: DEFAULT_CPU_CORES }],
  usesSeed: true,
};
