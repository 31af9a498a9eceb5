/**
 * Layer 0 "Storage": an I/O trace through the page cache, the block-layer
 * scheduler and the SSD's FTL → latency, throughput, merges and write
 * amplification per phase. Layout and wiring only; the model is sim's
 * runStorageTrace (sim/src/hardware/storage).
 */
import { runStorageTrace, type StorageView, type StoragePhaseView } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const us = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const io = (p: StoragePhaseView) => p.ops > 0 && (p.command.startsWith('read') || p.command.startsWith('write'));

const L = {
  ja: {
    caption: 'I/O の各行 (フェーズ) の 1 回あたりの平均遅延と p99 遅延 (µs、対数目盛り)。',
    chart: (v: StorageView) => 'フェーズごとの遅延。' + v.phases.filter(io).map((p) => `${p.line} 行目 ${p.command}: 平均 ${us(p.meanLatencyUs)} µs、p99 ${us(p.p99LatencyUs)} µs`).join('、'),
    mean: '平均遅延', p99: 'p99 遅延', legend: '凡例', table: 'フェーズごとの結果', line: '行', command: 'コマンド', ops: '回数',
    max: '最大', tput: 'スループット', hit: 'キャッシュヒット', cmds: 'デバイスへの要求', merges: 'マージ', wa: '書き込み増幅', gc: 'GC 回数', time: '所要時間',
    totals: (v: StorageView) => `全体: ホストが書いた 4 KiB セクタ ${v.totals.hostSectorsWritten.toLocaleString('ja-JP')}、GC のコピー ${v.totals.gcSectorsWritten.toLocaleString('ja-JP')}、書き込み増幅 ${v.totals.writeAmplification.toFixed(2)}、消去 ${v.totals.erases} 回 (ブロックごとの消去回数 最小 ${v.totals.minErases}・最大 ${v.totals.maxErases})。`,
  },
  en: {
    caption: 'Mean and p99 latency per call for each I/O line (phase), in µs on a log scale.',
    chart: (v: StorageView) => 'Latency per phase. ' + v.phases.filter(io).map((p) => `line ${p.line} ${p.command}: mean ${us(p.meanLatencyUs)} µs, p99 ${us(p.p99LatencyUs)} µs`).join('; '),
    mean: 'Mean latency', p99: 'p99 latency', legend: 'Legend', table: 'Results per phase', line: 'Line', command: 'Command', ops: 'Calls',
    max: 'Max', tput: 'Throughput', hit: 'Cache hits', cmds: 'Device requests', merges: 'Merges', wa: 'Write amplification', gc: 'GC runs', time: 'Duration',
    totals: (v: StorageView) => `Whole trace: host wrote ${v.totals.hostSectorsWritten.toLocaleString('en-US')} 4 KiB sectors, GC copied ${v.totals.gcSectorsWritten.toLocaleString('en-US')}, write amplification ${v.totals.writeAmplification.toFixed(2)}, ${v.totals.erases} erases (per-block erase count min ${v.totals.minErases}, max ${v.totals.maxErases}).`,
  },
};

function Chart({ view, locale }: { view: StorageView; locale: Locale }) {
  const phases = view.phases.filter(io);
  const rowH = 40;
  const width = 640;
  const plotX = 8;
  const plotW = width - 90;
  const maxLog = Math.log10(Math.max(10, ...phases.map((p) => p.p99LatencyUs, 1)));
  const x = (v: number) => plotX + (Math.log10(Math.max(1, v)) / maxLog) * plotW;
  const height = phases.length * rowH + 22;
  const ticks = [1, 10, 100, 1000, 10000, 100000].filter((t) => Math.log10(t) <= maxLog + 1e-9);
  return (
    <svg class="storage-io-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].chart(view)}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={0} y2={height - 16} class="storage-io-grid" />
          <text x={x(t)} y={height - 3} text-anchor={t === 1 ? "start" : "middle"}>{t >= 1000 ? `${t / 1000} ms` : `${t} µs`}</text>
        </g>
      ))}
      {phases.map((p, i) => {
        const y = i * rowH + 2;
        return (
          <g key={p.line}>
            <text x={plotX} y={y + 11}>{`${p.line}: ${p.command}`}</text>
            <rect x={plotX} y={y + 15} width={Math.max(1, x(p.meanLatencyUs) - plotX)} height={9} class="storage-io-mean" />
            <rect x={plotX} y={y + 26} width={Math.max(1, x(p.p99LatencyUs) - plotX)} height={9} class="storage-io-p99" />
          </g>
        );
      })}
    </svg>
  );
}

export function StorageResult({ view, locale }: { view: StorageView; locale: Locale }) {
  const l = L[locale];
  return (
    <div class="storage-io-view">
      <p class="widget-caption">{l.caption}</p>
      <ul class="storage-io-legend" aria-label={l.legend}>
        <li><span class="storage-io-swatch storage-io-mean" aria-hidden="true" />{l.mean}</li>
        <li><span class="storage-io-swatch storage-io-p99" aria-hidden="true" />{l.p99}</li>
      </ul>
      <Chart view={view} locale={locale} />
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.table}>
        <table class="widget-table">
          <thead>
            <tr>
              <th scope="col">{l.line}</th>
              <th scope="col">{l.command}</th>
              <th scope="col">{l.ops}</th>
              <th scope="col">{l.mean}</th>
              <th scope="col">{l.p99}</th>
              <th scope="col">{l.max}</th>
              <th scope="col">{l.tput}</th>
              <th scope="col">{l.hit}</th>
              <th scope="col">{l.cmds}</th>
              <th scope="col">{l.merges}</th>
              <th scope="col">{l.wa}</th>
              <th scope="col">{l.gc}</th>
              <th scope="col">{l.time}</th>
            </tr>
          </thead>
          <tbody>
            {view.phases.map((p) => (
              <tr key={p.line} data-line={p.line}>
                <th scope="row">{p.line}</th>
                <td><code>{p.command}</code></td>
                <td data-field="ops">{p.ops}</td>
                <td data-field="mean-us">{us(p.meanLatencyUs)} µs</td>
                <td data-field="p99-us">{us(p.p99LatencyUs)} µs</td>
                <td data-field="max-us">{us(p.maxLatencyUs)} µs</td>
                <td data-field="mibps">{p.bytes ? `${p.throughputMiBps.toFixed(0)} MiB/s` : '—'}</td>
                <td data-field="hit">{p.cacheHitRate === null ? '—' : `${(p.cacheHitRate * 100).toFixed(1)}%`}</td>
                <td data-field="cmds">{p.deviceCommands}</td>
                <td data-field="merges">{p.merges}</td>
                <td data-field="wa">{p.writeAmplification === null ? '—' : p.writeAmplification.toFixed(2)}</td>
                <td data-field="gc">{p.gcRuns}</td>
                <td data-field="duration">{us(p.durationUs / 1000)} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="storage-io-totals" data-field="totals">{l.totals(view)}</p>
    </div>
  );
}

export default function StorageIo(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<StorageView>
      {...props}
      run={(texts, seed) => runStorageTrace(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <StorageResult view={view} locale={locale} />}
    />
  );
}
