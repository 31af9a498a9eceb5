import { DEFAULT_OVERLAY_LAYERS, DEFAULT_OVERLAY_OPS } from '@sim';
import type { WidgetSpec } from '../registry.ts';

/** Layer 1 "Filesystems": the layers + mount file and the commands run in the merged view (English page passes DEFAULT_OVERLAY_LAYERS_EN via `code`). */
export const spec: WidgetSpec = {
  title: { ja: 'OverlayFS: レイヤーと合成ビュー', en: 'OverlayFS: layers and the merged view' },
  files: [
    { id: 'layers', label: { ja: 'レイヤーと mount', en: 'layers and mount' }, lang: 'shell', text: DEFAULT_OVERLAY_LAYERS },
    { id: 'ops', label: { ja: 'コンテナ内で実行するコマンド', en: 'commands run in the container' }, lang: 'shell', text: DEFAULT_OVERLAY_OPS },
  ],
};
