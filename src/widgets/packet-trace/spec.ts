import { DEFAULT_PACKET_RULES, DEFAULT_PACKET_INPUT } from '@sim';
import type { WidgetSpec } from '../registry.ts';

/** English pages pass DEFAULT_PACKET_RULES_EN / DEFAULT_PACKET_INPUT_EN through Widget's `code` prop. */
export const spec: WidgetSpec = {
  title: { ja: 'パケットの旅: netfilter のフックとテーブル', en: 'A packet\'s journey: netfilter hooks and tables' },
  files: [
    { id: 'rules', label: { ja: 'iptables ルール', en: 'iptables rules' }, lang: 'shell', text: DEFAULT_PACKET_RULES },
    { id: 'packets', label: { ja: 'ホストとパケット', en: 'host and packets' }, lang: 'text', text: DEFAULT_PACKET_INPUT },
  ],
  usesSeed: true,
  seed: 1,
};
