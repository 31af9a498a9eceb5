import { DEFAULT_WATCH_SCRIPT } from '@sim';
import type { WidgetSpec } from '../registry.ts';

/** Layer 3 watch: a script of writes and watches; each watcher's stream of events. */
export const spec: WidgetSpec = {
  title: { ja: 'watch: resourceVersion とイベントの流れ', en: 'Watch: resourceVersions and the stream of events' },
  files: [{ id: 'script', label: { ja: 'シナリオ', en: 'scenario' }, lang: 'text', text: DEFAULT_WATCH_SCRIPT }],
};
