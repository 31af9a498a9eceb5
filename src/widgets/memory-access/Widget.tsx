/**
 * Layer 0 "Memory": access patterns through the TLB and L1d/L2/L3 to local
 * or remote DRAM → where accesses were served and the average latency.
 * Layout and wiring only; the model is sim's runMemoryAccess
 * (sim/src/hardware/memory).
 */
import { runMemoryAccess, CACHE_LEVELS, DRAM_LOCAL_NS, DRAM_REMOTE_NS, STLB_HIT_NS, type MemoryView, type MemoryRunView } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.01 ? 2 : 1)}%`;
const ns = (x: number) => x.toFixed(1);

/** Average latency split into the part each level contributed (the bar segments). */
function segments(r: MemoryRunView): { cls: string; key: string; ns: number }[] {
  const [l1, l2, l3] = CACHE_LEVELS;
  return [
    { cls: 'memory-access-tlb', key: 'tlb', ns: r.translationNsPerAccess },
    { cls: 'memory-access-l1', key: 'L1d', ns: r.servedBy.L1d * l1!.latencyNs },
    { cls: 'memory-access-l2', key: 'L2', ns: r.servedBy.L2 * l2!.latencyNs },
    { cls: 'memory-access-l3', key: 'L3', ns: r.servedBy.L3 * l3!.latencyNs },
    { cls: 'memory-access-dram', key: 'dram', ns: r.servedBy.dramLocal * DRAM_LOCAL_NS },
    { cls: 'memory-access-remote', key: 'remote', ns: r.servedBy.dramRemote * DRAM_REMOTE_NS },
  ];
}

const L = {
  ja: {
    caption: 'バーの長さが 1 回のアクセスの平均遅延 (ns)。色は、その遅延がどの階層から来たか。',
    chart: (v: MemoryView) => '実行ごとの平均遅延。' + v.runs.map((r) => `${r.name}: ${ns(r.avgLatencyNs)} ns`).join('、'),
    table: '実行ごとの結果', run: '実行', pattern: 'パターン', ws: '作業領域', pages: 'ページ', placement: 'メモリの置き場所',
    l1: 'L1d', l2: 'L2', l3: 'L3', dram: 'DRAM (ローカル)', remote: 'DRAM (リモート)', walks: 'ページウォーク / アクセス', reach: 'TLB リーチ', avg: '平均遅延',
    tlb: 'アドレス変換 (TLB ミス)', legend: '凡例', hierarchy: '各階層の遅延 (このモデルの値)', level: '階層', latency: '遅延',
    place: { local: 'ローカル', remote: 'リモート', interleave: 'インターリーブ' },
  },
  en: {
    caption: 'Bar length is the average latency of one access (ns). Colours show which level the time came from.',
    chart: (v: MemoryView) => 'Average latency per run. ' + v.runs.map((r) => `${r.name}: ${ns(r.avgLatencyNs)} ns`).join('; '),
    table: 'Results per run', run: 'Run', pattern: 'Pattern', ws: 'Working set', pages: 'Pages', placement: 'Memory placement',
    l1: 'L1d', l2: 'L2', l3: 'L3', dram: 'DRAM (local)', remote: 'DRAM (remote)', walks: 'Page walks / access', reach: 'TLB reach', avg: 'Avg latency',
    tlb: 'Address translation (TLB misses)', legend: 'Legend', hierarchy: 'Latency per level (this model)', level: 'Level', latency: 'Latency',
    place: { local: 'local', remote: 'remote', interleave: 'interleave' },
  },
};

function Chart({ view, locale }: { view: MemoryView; locale: Locale }) {
  const rowH = 24;
  const width = 640;
  const plotX = 8;
  const plotW = width - 80;
  const max = Math.max(1, ...view.runs.map((r) => r.avgLatencyNs));
  const height = view.runs.length * rowH * 2 + 6;
  return (
    <svg class="memory-access-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].chart(view)}>
      {view.runs.map((r, i) => {
        const y = i * rowH * 2 + 2;
        let x = plotX;
        return (
          <g key={i}>
            <text x={plotX} y={y + 12}>{r.name}</text>
            {segments(r).map((s) => {
              const w = (s.ns / max) * plotW;
              const rect = w > 0.05 ? <rect key={s.key} x={x} y={y + 17} width={w} height={rowH - 8} class={s.cls} /> : null;
              x += w;
              return rect;
            })}
            <text x={x + 6} y={y + 29}>{ns(r.avgLatencyNs)} ns</text>
          </g>
        );
      })}
    </svg>
  );
}

export function MemoryResult({ view, locale }: { view: MemoryView; locale: Locale }) {
  const l = L[locale];
  const legend = [['memory-access-tlb', l.tlb], ['memory-access-l1', l.l1], ['memory-access-l2', l.l2], ['memory-access-l3', l.l3], ['memory-access-dram', l.dram], ['memory-access-remote', l.remote]] as const;
  return (
    <div class="memory-access-view">
      <p class="widget-caption">{l.caption}</p>
      <ul class="memory-access-legend" aria-label={l.legend}>
        {legend.map(([cls, name]) => <li key={cls}><span class={`memory-access-swatch ${cls}`} aria-hidden="true" />{name}</li>)}
      </ul>
      <Chart view={view} locale={locale} />
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.table}>
        <table class="widget-table">
          <thead>
            <tr>
              <th scope="col">{l.run}</th>
              <th scope="col">{l.pages}</th>
              <th scope="col">{l.placement}</th>
              <th scope="col">{l.l1}</th>
              <th scope="col">{l.l2}</th>
              <th scope="col">{l.l3}</th>
              <th scope="col">DRAM</th>
              <th scope="col">{l.walks}</th>
              <th scope="col">{l.reach}</th>
              <th scope="col">{l.avg}</th>
            </tr>
          </thead>
          <tbody>
            {view.runs.map((r, i) => (
              <tr key={i} data-run={i}>
                <th scope="row">{r.name}</th>
                <td>{r.pageSize}</td>
                <td data-field="placement">{l.place[r.placement]}</td>
                <td data-field="l1">{pct(r.servedBy.L1d)}</td>
                <td data-field="l2">{pct(r.servedBy.L2)}</td>
                <td data-field="l3">{pct(r.servedBy.L3)}</td>
                <td data-field="dram">{pct(r.servedBy.dramLocal + r.servedBy.dramRemote)}</td>
                <td data-field="walks">{r.tlb.walksPerAccess.toFixed(3)}</td>
                <td>{r.tlbReach}</td>
                <td data-field="avg-ns">{ns(r.avgLatencyNs)} ns</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>{l.hierarchy}</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.hierarchy}>
          <table class="widget-table">
            <thead><tr><th scope="col">{l.level}</th><th scope="col">{l.latency}</th></tr></thead>
            <tbody>
              {CACHE_LEVELS.map((c) => <tr key={c.name}><th scope="row">{c.name}</th><td>{c.latencyNs} ns</td></tr>)}
              <tr><th scope="row">{l.dram}</th><td>{DRAM_LOCAL_NS} ns</td></tr>
              <tr><th scope="row">{l.remote}</th><td>{DRAM_REMOTE_NS} ns</td></tr>
              <tr><th scope="row">STLB</th><td>+{STLB_HIT_NS} ns</td></tr>
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

export default function MemoryAccess(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<MemoryView>
      {...props}
      run={(texts, seed) => runMemoryAccess(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <MemoryResult view={view} locale={locale} />}
    />
  );
}
