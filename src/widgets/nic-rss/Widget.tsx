/**
 * Layer 0 "NIC": a packet burst meets RX rings, interrupt coalescing, RSS,
 * NAPI/GRO and offloads → interrupts, per-CPU softirq load, drops, latency.
 * Layout and wiring only; the model is sim's runNicBurst (sim/src/hardware/nic).
 */
import { runNicBurst, type NicView } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const L = {
  ja: {
    chart: (v: NicView) => 'CPU ごとの softirq 負荷。' + v.perCpu.map((c) => `CPU ${c.cpu}: ${pct(c.softirqLoad)}、パケット ${c.packets}、割り込み ${c.interrupts}`).join('、'),
    caption: (v: NicView) => `${v.durationUs.toFixed(0)} µs の間に CPU ごとの受信処理 (ハード割り込み + NAPI/softirq) が占めた時間の割合。`,
    summary: '集計', interrupts: '割り込み', perK: '1000 パケットあたりの割り込み', drops: 'リングあふれで破棄', delivered: 'ホストへ届いたパケット',
    toVfs: 'VF へ直接', lat: '遅延 平均 / p99', polls: 'NAPI poll 1 回あたりのパケット', gro: 'GRO 後 / 受信フレーム', squeeze: 'time_squeeze', tx: (v: NicView) => `送信側: ${v.tx.bytes.toLocaleString('ja-JP')} バイトは MSS ${v.tx.mss} で ${v.tx.wireFrames} フレーム。TSO/GSO ならスタックを通るのは ${v.tx.stackPasses.tso} 回、オフロードなしなら ${v.tx.stackPasses.none} 回。`,
    perCpu: 'CPU ごと', perQueue: 'RX キューごと', cpu: 'CPU', load: 'softirq 負荷', packets: 'パケット', queue: 'キュー', flows: 'フロー数',
    flowTable: 'RSS: フローがキューと CPU に決まるまで (先頭 16 フロー)', flow: 'フロー', tuple: 'ハッシュ入力', hash: 'Toeplitz ハッシュ', indir: '間接テーブルの位置', vf: 'VF',
  },
  en: {
    chart: (v: NicView) => 'Softirq load per CPU. ' + v.perCpu.map((c) => `CPU ${c.cpu}: ${pct(c.softirqLoad)}, ${c.packets} packets, ${c.interrupts} interrupts`).join('; '),
    caption: (v: NicView) => `Share of the ${v.durationUs.toFixed(0)} µs each CPU spent receiving (hard interrupts + NAPI/softirq).`,
    summary: 'Summary', interrupts: 'Interrupts', perK: 'Interrupts per 1000 packets', drops: 'Dropped (ring full)', delivered: 'Packets to the host',
    toVfs: 'Straight to VFs', lat: 'Latency mean / p99', polls: 'Packets per NAPI poll', gro: 'After GRO / frames received', squeeze: 'time_squeeze', tx: (v: NicView) => `Send side: ${v.tx.bytes.toLocaleString('en-US')} bytes at MSS ${v.tx.mss} are ${v.tx.wireFrames} frames. With TSO/GSO they travel down the stack ${v.tx.stackPasses.tso} times; without offload ${v.tx.stackPasses.none} times.`,
    perCpu: 'Per CPU', perQueue: 'Per RX queue', cpu: 'CPU', load: 'Softirq load', packets: 'Packets', queue: 'Queue', flows: 'Flows',
    flowTable: 'RSS: how a flow finds its queue and CPU (first 16 flows)', flow: 'Flow', tuple: 'Hash input', hash: 'Toeplitz hash', indir: 'Indirection index', vf: 'VF',
  },
};

function Chart({ view, locale }: { view: NicView; locale: Locale }) {
  const rowH = 24;
  const width = 640;
  const labelW = 60;
  const plotW = width - labelW - 70;
  const height = view.perCpu.length * rowH + 4;
  return (
    <svg class="nic-rss-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].chart(view)}>
      {view.perCpu.map((c, i) => {
        const y = i * rowH + 2;
        return (
          <g key={c.cpu}>
            <text x={0} y={y + 14}>CPU {c.cpu}</text>
            <rect x={labelW} y={y + 2} width={plotW} height={rowH - 8} class="nic-rss-track" />
            <rect x={labelW} y={y + 2} width={Math.max(0, c.softirqLoad * plotW)} height={rowH - 8} class="nic-rss-bar" />
            <text x={labelW + plotW + 6} y={y + 14}>{pct(c.softirqLoad)}</text>
          </g>
        );
      })}
    </svg>
  );
}

export function NicResult({ view, locale }: { view: NicView; locale: Locale }) {
  const l = L[locale];
  const stats: [string, string, string][] = [
    ['interrupts', l.interrupts, String(view.interrupts)],
    ['per-k', l.perK, view.interruptsPerKPacket.toFixed(1)],
    ['drops', l.drops, String(view.drops)],
    ['delivered', l.delivered, String(view.delivered)],
    ['latency', l.lat, `${view.latencyUs.mean.toFixed(1)} / ${view.latencyUs.p99.toFixed(1)} µs`],
    ['per-poll', l.polls, view.avgPacketsPerPoll.toFixed(1)],
    ['gro', l.gro, view.groRatio.toFixed(3)],
    ['squeeze', l.squeeze, String(view.timeSqueezes)],
  ];
  if (view.toVfs > 0) stats.push(['to-vfs', l.toVfs, String(view.toVfs)]);
  return (
    <div class="nic-rss-view">
      <dl class="nic-rss-summary">
        {stats.map(([k, name, value]) => (
          <div key={k}><dt>{name}</dt><dd data-field={k}>{value}</dd></div>
        ))}
      </dl>
      <p class="widget-caption">{l.caption(view)}</p>
      <Chart view={view} locale={locale} />
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.perCpu}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.cpu}</th><th scope="col">{l.load}</th><th scope="col">{l.packets}</th><th scope="col">{l.interrupts}</th><th scope="col">time_squeeze</th></tr></thead>
          <tbody>
            {view.perCpu.map((c) => (
              <tr key={c.cpu} data-cpu={c.cpu}>
                <th scope="row">CPU {c.cpu}</th>
                <td data-field="load">{pct(c.softirqLoad)}</td>
                <td data-field="packets">{c.packets}</td>
                <td data-field="interrupts">{c.interrupts}</td>
                <td data-field="squeeze">{c.timeSqueezes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.perQueue}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.queue}</th><th scope="col">{l.cpu}</th><th scope="col">{l.flows}</th><th scope="col">{l.packets}</th><th scope="col">{l.drops}</th><th scope="col">{l.interrupts}</th></tr></thead>
          <tbody>
            {view.perQueue.map((q) => (
              <tr key={q.queue} data-queue={q.queue}>
                <th scope="row">rx-{q.queue}</th>
                <td>{q.cpu}</td>
                <td data-field="flows">{q.flows}</td>
                <td data-field="packets">{q.packets}</td>
                <td data-field="drops">{q.drops}</td>
                <td data-field="interrupts">{q.interrupts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="widget-caption" data-field="tx">{l.tx(view)}</p>
      <details>
        <summary>{l.flowTable}</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.flowTable}>
          <table class="widget-table">
            <thead><tr><th scope="col">{l.flow}</th><th scope="col">{l.tuple}</th><th scope="col">{l.hash}</th><th scope="col">{l.indir}</th><th scope="col">{l.queue}</th><th scope="col">{l.cpu}</th></tr></thead>
            <tbody>
              {view.flows.slice(0, 16).map((f) => (
                <tr key={f.flow} data-flow={f.flow}>
                  <th scope="row">{f.flow}</th>
                  <td><code>{f.tuple}</code></td>
                  <td><code>{f.hash}</code></td>
                  <td>{f.indirIndex}</td>
                  <td>{f.vf === null ? `rx-${f.queue}` : `${l.vf} ${f.vf}`}</td>
                  <td>{f.cpu === null ? '—' : f.cpu}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

export default function NicRss(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<NicView>
      {...props}
      run={(texts, seed) => runNicBurst(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <NicResult view={view} locale={locale} />}
    />
  );
}
