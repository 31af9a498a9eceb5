/**
 * Layer 1 "Linux network stack / netfilter": edit iptables rules and packets,
 * see every stage, hook, table, chain and rule each packet passes, the verdict,
 * conntrack, rule counters, where 3,000 new connections land, and the rules as
 * iptables-save prints them. Layout and wiring only; the model is sim's
 * runPacketTrace (sim/src/kernel/netfilter).
 */
import { runPacketTrace, type PacketTraceView, type TracedPacket, type TraceStep } from '@sim';
import { SnippetShell, type SnippetFile, type RunOutcome } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

/** How many extra new connections the widget sends to show -m statistic at work. */
export const PACKET_TRACE_DISTRIBUTION = 3000;

const L = {
  ja: {
    packet: (i: number, line: number) => `パケット ${i + 1}（${line} 行目）`,
    reply: '応答', original: '元の向き',
    in: '入力', out: '出力', outcome: '結果', steps: (n: number) => `通過した段階 ${n} 個`,
    outcomes: { delivered: 'ローカルのソケットへ配送', forwarded: '転送', sent: '送信', dropped: '破棄 (DROP)', rejected: '拒否 (REJECT)', unroutable: '経路なし', 'no-socket': 'ソケットなし' } as Record<string, string>,
    conntrack: 'conntrack -L', ctId: '#', ctOrig: '元の向き', ctReply: '応答の向き', ctNat: 'NAT',
    counters: 'ルールごとのパケット数（iptables -L -v、一致した行のみ）', table: 'テーブル', chain: 'チェーン', num: '番号', rule: 'ルール', pkts: 'pkts',
    dist: (n: number) => `最初のパケットと同じ形の新しい接続 ${n.toLocaleString('ja-JP')} 本の行き先（NAT 後）`,
    dest: '行き先', count: '本数', frac: '割合',
    distChart: (v: NonNullable<PacketTraceView['distribution']>) => `新しい接続 ${v.packets} 本の行き先: ` + v.byDestination.map((d) => `${d.destination} に ${d.count} 本 (${(d.fraction * 100).toFixed(1)}%)`).join('、'),
    save: 'iptables-save（読み込まれたルール）',
  },
  en: {
    packet: (i: number, line: number) => `Packet ${i + 1} (line ${line})`,
    reply: 'reply', original: 'original direction',
    in: 'In', out: 'Out', outcome: 'Result', steps: (n: number) => `${n} steps passed`,
    outcomes: { delivered: 'delivered to a local socket', forwarded: 'forwarded', sent: 'sent', dropped: 'dropped (DROP)', rejected: 'rejected (REJECT)', unroutable: 'no route', 'no-socket': 'no socket' } as Record<string, string>,
    conntrack: 'conntrack -L', ctId: '#', ctOrig: 'original', ctReply: 'reply', ctNat: 'NAT',
    counters: 'Packets per rule (iptables -L -v, matched rules only)', table: 'Table', chain: 'Chain', num: 'No.', rule: 'Rule', pkts: 'pkts',
    dist: (n: number) => `Where ${n.toLocaleString('en-US')} new connections shaped like the first packet end up (after NAT)`,
    dest: 'Destination', count: 'Connections', frac: 'Share',
    distChart: (v: NonNullable<PacketTraceView['distribution']>) => `Destinations of ${v.packets} new connections: ` + v.byDestination.map((d) => `${d.count} to ${d.destination} (${(d.fraction * 100).toFixed(1)}%)`).join('; '),
    save: 'iptables-save (the loaded rules)',
  },
};

function Step({ s }: { s: TraceStep }) {
  const cls = `packet-trace-step packet-trace-${s.kind}${s.kind === 'rule' ? (s.matched ? ' packet-trace-matched' : ' packet-trace-miss') : ''}`;
  if (s.kind === 'stage') return <li class={cls} data-kind="stage"><code>{s.fn}</code> {s.text}</li>;
  if (s.kind === 'rule') return <li class={cls} data-kind="rule" data-matched={String(s.matched)} title={s.rule}><code>{s.text}</code></li>;
  return <li class={cls} data-kind={s.kind}>{s.text}</li>;
}

function Packet({ p, i, locale }: { p: TracedPacket; i: number; locale: Locale }) {
  const l = L[locale];
  return (
    <details class="packet-trace-packet" data-packet={i + 1} data-outcome={p.outcome} open={i === 0}>
      <summary>
        <strong>{l.packet(i, p.line)}</strong>{p.direction === 'reply' ? ` (${l.reply})` : ''}: <span data-field="outcome">{l.outcomes[p.outcome] ?? p.outcome}</span>
      </summary>
      <dl class="packet-trace-io">
        <dt>{l.in}</dt><dd><code data-field="in">{p.packetIn}</code></dd>
        <dt>{l.out}</dt><dd><code data-field="out">{p.packetOut}</code></dd>
        <dt>{l.outcome}</dt><dd data-field="outcome-text">{p.outcomeText}</dd>
      </dl>
      <p class="widget-caption">{l.steps(p.steps.length)}</p>
      <ol class="packet-trace-steps">
        {p.steps.map((s, k) => <Step key={k} s={s} />)}
      </ol>
    </details>
  );
}

function Distribution({ d, locale }: { d: NonNullable<PacketTraceView['distribution']>; locale: Locale }) {
  const l = L[locale];
  const w = 480;
  const rowH = 24;
  const labelW = 170;
  const max = Math.max(1, ...d.byDestination.map((x) => x.count));
  return (
    <figure class="packet-trace-dist">
      <figcaption class="widget-caption">{l.dist(d.packets)}</figcaption>
      <svg viewBox={`0 0 ${w} ${d.byDestination.length * rowH + 4}`} role="img" aria-label={l.distChart(d)} class="packet-trace-chart">
        {d.byDestination.map((x, k) => (
          <g key={x.destination}>
            <text x={0} y={k * rowH + 16} class="packet-trace-label">{x.destination}</text>
            <rect x={labelW} y={k * rowH + 4} height={rowH - 8} width={((w - labelW - 70) * x.count) / max} class={`packet-trace-bar series-${k % 6}`} />
            <text x={labelW + ((w - labelW - 70) * x.count) / max + 4} y={k * rowH + 16} class="packet-trace-label">{(x.fraction * 100).toFixed(1)}%</text>
          </g>
        ))}
      </svg>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.dist(d.packets)}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.dest}</th><th scope="col">{l.count}</th><th scope="col">{l.frac}</th></tr></thead>
          <tbody>
            {d.byDestination.map((x) => (
              <tr key={x.destination} data-destination={x.destination}>
                <th scope="row"><code>{x.destination}</code></th>
                <td data-field="count">{x.count}</td>
                <td data-field="fraction">{(x.fraction * 100).toFixed(1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

export function PacketTraceResult({ view, locale }: { view: PacketTraceView; locale: Locale }) {
  const l = L[locale];
  const counters = view.counters.filter((c) => c.packets > 0);
  return (
    <div class="packet-trace-view">
      {view.packets.map((p, i) => <Packet key={i} p={p} i={i} locale={locale} />)}
      <h3 class="packet-trace-h">{l.conntrack}</h3>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.conntrack}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.ctId}</th><th scope="col">{l.ctOrig}</th><th scope="col">{l.ctReply}</th><th scope="col">{l.ctNat}</th></tr></thead>
          <tbody>
            {view.conntrack.map((c) => (
              <tr key={c.id} data-conntrack={c.id}>
                <th scope="row">{c.id}</th>
                <td><code>{c.original}</code></td>
                <td><code>{c.reply}</code></td>
                <td>{c.nat.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 class="packet-trace-h">{l.counters}</h3>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.counters}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.table}</th><th scope="col">{l.chain}</th><th scope="col">{l.num}</th><th scope="col">{l.pkts}</th><th scope="col">{l.rule}</th></tr></thead>
          <tbody>
            {counters.map((c) => (
              <tr key={`${c.table}:${c.chain}:${c.ruleNum}`} data-counter={`${c.table}:${c.chain}:${c.ruleNum}`}>
                <td>{c.table}</td><td><code>{c.chain}</code></td><td>{c.ruleNum}</td><td data-field="packets">{c.packets}</td><td><code>{c.rule}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {view.distribution && <Distribution d={view.distribution} locale={locale} />}
      <details class="packet-trace-save">
        <summary>{l.save}</summary>
        <pre data-field="iptables-save" tabIndex={0}>{view.rulesSave}</pre>
      </details>
    </div>
  );
}

export function runPacketTraceWidget(texts: Record<string, string>, seed: number): RunOutcome<PacketTraceView> {
  const r = runPacketTrace(texts.rules ?? '', texts.packets ?? '', { seed, distributionPackets: PACKET_TRACE_DISTRIBUTION });
  if (r.ok) return r;
  // Errors in the packet text carry path "packets": show them on that file.
  return { ok: false, errors: r.errors.map((e) => (e.path === 'packets' ? { ...e, file: 'packets' } : e)) };
}

export default function PacketTrace(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<PacketTraceView>
      {...props}
      run={runPacketTraceWidget}
      render={(view, locale) => <PacketTraceResult view={view} locale={locale} />}
    />
  );
}
