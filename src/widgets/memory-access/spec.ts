import { DEFAULT_MEMORY_ACCESS } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'アクセスパターンと平均遅延', en: 'Access patterns and average latency' },
  files: [{ id: 'runs', label: { ja: 'アクセスパターン (YAML)', en: 'access patterns (YAML)' }, lang: 'yaml', text: DEFAULT_MEMORY_ACCESS }],
  usesSeed: true,
};
