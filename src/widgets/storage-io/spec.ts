import { DEFAULT_STORAGE_TRACE } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'I/O トレース: ページキャッシュ → スケジューラー → SSD', en: 'I/O trace: page cache → scheduler → SSD' },
  files: [{ id: 'trace', label: { ja: 'I/O トレース', en: 'I/O trace' }, lang: 'text', text: DEFAULT_STORAGE_TRACE }],
  usesSeed: true,
};
