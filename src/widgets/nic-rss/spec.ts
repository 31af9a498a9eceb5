import { DEFAULT_NIC_BURST } from '@sim';
import type { WidgetSpec } from '../registry.ts';

export const spec: WidgetSpec = {
  title: { ja: 'パケットのバースト: 割り込み・RSS・CPU 負荷', en: 'A packet burst: interrupts, RSS and CPU load' },
  files: [{ id: 'nic', label: { ja: 'NIC の設定とバースト (YAML)', en: 'NIC settings and burst (YAML)' }, lang: 'yaml', text: DEFAULT_NIC_BURST }],
  usesSeed: true,
};
