import { DEFAULT_RUNC_CONFIG } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'config.json を runc に渡す', en: 'Hand a config.json to runc' },
  files: [{ id: 'config', label: { ja: 'config.json（OCI ランタイム仕様）', en: 'config.json (OCI runtime spec)' }, lang: 'json', text: DEFAULT_RUNC_CONFIG }],
};
