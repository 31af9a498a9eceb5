/**
 * Layer 1 "cgroup v2 memory": edit a container cgroup's memory files and a
 * scripted workload, run the memory controller model, see memory.current
 * over time (anon / page cache / kernel), the memory.max and memory.high
 * lines, OOM kills, memory.events and each process's oom_score.
 * Layout and wiring only; the model is sim's runMemoryPressure.
 */
import { runMemoryPressure, type MemoryPressureView, type MemorySample } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const MiB = 1048576;
const mib = (b: number) => (b / MiB).toFixed(1);
const EVENT_KEYS = ['low', 'high', 'max', 'oom', 'oom_kill', 'oom_group_kill'] as const;

function peakSample(v: MemoryPressureView): MemorySample {
  return v.timeline.reduce((a, s) => (s.currentBytes > a.currentBytes ? s : a), v.timeline[0]!);
}

const L = {
  ja: {
    caption: (v: MemoryPressureView) =>
      `memory.max ${v.limits.maxBytes === null ? 'max' : `${mib(v.limits.maxBytes)} MiB`}、memory.high ${v.limits.highBytes === null ? 'max' : `${mib(v.limits.highBytes)} MiB`}、memory.swap.max ${v.limits.swapMaxBytes === null ? 'max' : `${mib(v.limits.swapMaxBytes)} MiB`}、memory.oom.group ${v.limits.oomGroup ? 1 : 0}。${v.durationMs} ms の実行。`,
    chart: (v: MemoryPressureView) => {
      const p = peakSample(v);
      const kills = v.processes.filter((x) => x.state === 'oom-killed');
      return `memory.current の時系列。ピーク ${mib(v.peakBytes)} MiB (匿名 ${mib(p.anonBytes)} MiB、ページキャッシュ ${mib(p.fileBytes)} MiB、カーネル ${mib(p.kernelBytes)} MiB)。` +
        (kills.length ? kills.map((k) => `${k.name} は ${k.killedAtMs} ms に OOM kill`).join('、') + '。' : 'OOM kill はありません。');
    },
    legend: { anon: '匿名 (anon)', file: 'ページキャッシュ (file)', kernel: 'カーネル (スタック・ページテーブル)', max: 'memory.max', high: 'memory.high' },
    atPeak: (p: MemorySample) => `ピーク時 (${p.tMs} ms) の内訳: anon ${mib(p.anonBytes)} MiB、file ${mib(p.fileBytes)} MiB、kernel ${mib(p.kernelBytes)} MiB、swap ${mib(p.swapBytes)} MiB`,
    eventsLabel: 'memory.events の値', procsLabel: 'プロセスごとの結果',
    proc: 'プロセス', pid: 'PID (ホスト)', state: '状態', killedAt: 'kill された時刻', anon: '匿名メモリ', throttled: 'スロットルされた時間',
    states: { running: '実行中', 'oom-killed': 'OOM kill', stalled: '停止 (確保できず)' } as Record<string, string>,
    log: '出来事', logLabel: '出来事の一覧', omitted: (n: number) => `(ほかに ${n} 件)`,
    files: '実行後のファイル (cat の出力)', path: 'cgroup のパス',
    ms: (n: number | null) => (n === null ? '—' : `${n} ms`),
  },
  en: {
    caption: (v: MemoryPressureView) =>
      `memory.max ${v.limits.maxBytes === null ? 'max' : `${mib(v.limits.maxBytes)} MiB`}, memory.high ${v.limits.highBytes === null ? 'max' : `${mib(v.limits.highBytes)} MiB`}, memory.swap.max ${v.limits.swapMaxBytes === null ? 'max' : `${mib(v.limits.swapMaxBytes)} MiB`}, memory.oom.group ${v.limits.oomGroup ? 1 : 0}. Ran for ${v.durationMs} ms.`,
    chart: (v: MemoryPressureView) => {
      const p = peakSample(v);
      const kills = v.processes.filter((x) => x.state === 'oom-killed');
      return `memory.current over time. Peak ${mib(v.peakBytes)} MiB (anon ${mib(p.anonBytes)} MiB, page cache ${mib(p.fileBytes)} MiB, kernel ${mib(p.kernelBytes)} MiB). ` +
        (kills.length ? kills.map((k) => `${k.name} OOM-killed at ${k.killedAtMs} ms`).join('; ') + '.' : 'No OOM kill.');
    },
    legend: { anon: 'anonymous (anon)', file: 'page cache (file)', kernel: 'kernel (stacks, page tables)', max: 'memory.max', high: 'memory.high' },
    atPeak: (p: MemorySample) => `At the peak (${p.tMs} ms): anon ${mib(p.anonBytes)} MiB, file ${mib(p.fileBytes)} MiB, kernel ${mib(p.kernelBytes)} MiB, swap ${mib(p.swapBytes)} MiB`,
    eventsLabel: 'memory.events counters', procsLabel: 'Results per process',
    proc: 'Process', pid: 'PID (host)', state: 'State', killedAt: 'Killed at', anon: 'Anon memory', throttled: 'Throttled for',
    states: { running: 'running', 'oom-killed': 'OOM-killed', stalled: 'stuck (charge failed)' } as Record<string, string>,
    log: 'Events', logLabel: 'List of events', omitted: (n: number) => `(${n} more)`,
    files: 'Files after the run (as cat prints them)', path: 'cgroup path',
    ms: (n: number | null) => (n === null ? '—' : `${n} ms`),
  },
};

function Chart({ view, locale }: { view: MemoryPressureView; locale: Locale }) {
  const width = 640;
  const height = 220;
  const left = 64;
  const right = 8;
  const top = 8;
  const bottom = 22;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const tl = view.timeline;
  const tMax = Math.max(1, view.durationMs);
  const yTop = Math.max(view.peakBytes, view.limits.maxBytes ?? 0, view.limits.highBytes ?? 0, 1) * 1.08;
  const x = (t: number) => left + (t / tMax) * plotW;
  const y = (b: number) => top + plotH - (b / yTop) * plotH;
  // Stacked bands: kernel at the bottom, anon above it, page cache on top (a step per sample).
  const band = (lo: (s: MemorySample) => number, hi: (s: MemorySample) => number) => {
    const upper: string[] = [];
    const lower: string[] = [];
    tl.forEach((s, i) => {
      const next = tl[i + 1];
      const x0 = x(s.tMs);
      const x1 = next ? x(next.tMs) : x(tMax);
      upper.push(`${x0},${y(hi(s))}`, `${x1},${y(hi(s))}`);
      lower.unshift(`${x1},${y(lo(s))}`, `${x0},${y(lo(s))}`);
    });
    return [...upper, ...lower].join(' ');
  };
  const kernel = (s: MemorySample) => s.kernelBytes;
  const anonTop = (s: MemorySample) => s.kernelBytes + s.anonBytes;
  const fileTop = (s: MemorySample) => s.kernelBytes + s.anonBytes + s.fileBytes;
  const kills = view.processes.filter((p) => p.state === 'oom-killed' && p.killedAtMs !== null);
  const killTimes = [...new Set(kills.map((k) => k.killedAtMs!))];
  return (
    <svg class="cgroup-memory-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].chart(view)}>
      <polygon class="cgroup-memory-kernel" points={band(() => 0, kernel)} />
      <polygon class="cgroup-memory-anon" points={band(kernel, anonTop)} />
      <polygon class="cgroup-memory-file" points={band(anonTop, fileTop)} />
      <line class="cgroup-memory-axis" x1={left} x2={left + plotW} y1={top + plotH} y2={top + plotH} />
      <line class="cgroup-memory-axis" x1={left} x2={left} y1={top} y2={top + plotH} />
      {view.limits.maxBytes !== null && (
        <g>
          <line class="cgroup-memory-max" x1={left} x2={left + plotW} y1={y(view.limits.maxBytes)} y2={y(view.limits.maxBytes)} />
          <text x={left - 4} y={y(view.limits.maxBytes) + 4} text-anchor="end">{`max ${Math.round(view.limits.maxBytes / MiB)}Mi`}</text>
        </g>
      )}
      {view.limits.highBytes !== null && (
        <g>
          <line class="cgroup-memory-high" x1={left} x2={left + plotW} y1={y(view.limits.highBytes)} y2={y(view.limits.highBytes)} />
          <text x={left - 4} y={y(view.limits.highBytes) + (view.limits.maxBytes !== null && Math.abs(y(view.limits.highBytes) - y(view.limits.maxBytes)) < 12 ? 16 : 4)} text-anchor="end">{`high ${Math.round(view.limits.highBytes / MiB)}Mi`}</text>
        </g>
      )}
      {killTimes.map((t) => (
        <g key={t}>
          <line class="cgroup-memory-kill" x1={x(t)} x2={x(t)} y1={top} y2={top + plotH} />
          <text x={Math.min(x(t) + 3, left + plotW - 60)} y={top + 12}>OOM kill</text>
        </g>
      ))}
      <text x={left - 4} y={top + plotH} text-anchor="end">0</text>
      <text x={left} y={height - 4}>0 ms</text>
      <text x={left + plotW} y={height - 4} text-anchor="end">{`${view.durationMs} ms`}</text>
    </svg>
  );
}

export function CgroupMemoryView({ view, locale }: { view: MemoryPressureView; locale: Locale }) {
  const l = L[locale];
  const peak = peakSample(view);
  return (
    <div class="cgroup-memory-view">
      <p class="widget-caption" data-field="caption">{l.caption(view)}</p>
      <Chart view={view} locale={locale} />
      <ul class="cgroup-memory-legend">
        {(['kernel', 'anon', 'file', 'high', 'max'] as const).map((k) => (
          <li key={k}><span class={`cgroup-memory-swatch cgroup-memory-${k}`} aria-hidden="true" />{l.legend[k]}</li>
        ))}
      </ul>
      <p class="widget-caption" data-field="at-peak">{l.atPeak(peak)}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.eventsLabel}>
        <table class="widget-table">
          <caption class="widget-caption">memory.events</caption>
          <thead>
            <tr>{EVENT_KEYS.map((k) => <th scope="col" key={k}>{k}</th>)}</tr>
          </thead>
          <tbody>
            <tr>{EVENT_KEYS.map((k) => <td key={k} data-event={k}>{view.memoryEvents[k]}</td>)}</tr>
          </tbody>
        </table>
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.procsLabel}>
        <table class="widget-table">
          <thead>
            <tr>
              <th scope="col">{l.proc}</th>
              <th scope="col">{l.pid}</th>
              <th scope="col">oom_score_adj</th>
              <th scope="col">oom_score</th>
              <th scope="col">{l.state}</th>
              <th scope="col">{l.killedAt}</th>
              <th scope="col">{l.throttled}</th>
            </tr>
          </thead>
          <tbody>
            {view.processes.map((p) => (
              <tr key={p.hostPid} data-proc={p.name}>
                <th scope="row">{p.name}</th>
                <td>{p.hostPid}</td>
                <td data-field="adj">{p.oomScoreAdj}</td>
                <td data-field="oom_score">{p.oomScore}</td>
                <td data-field="state" data-state={p.state}>{l.states[p.state]}</td>
                <td data-field="killed-at">{l.ms(p.killedAtMs)}</td>
                <td data-field="throttled">{l.ms(p.throttledMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="widget-caption"><strong>{l.log}</strong></p>
      <div class="cgroup-memory-events" tabIndex={0} role="region" aria-label={l.logLabel}>
        <ol>
          {view.events.map((e, i) => (
            <li key={i} data-kind={e.kind}><code>{e.tMs} ms</code> <strong>{e.kind}</strong> {e.message}</li>
          ))}
        </ol>
        {view.eventsOmitted > 0 && <p class="widget-caption">{l.omitted(view.eventsOmitted)}</p>}
      </div>
      <details>
        <summary>{l.files}</summary>
        <p class="cgroup-memory-path">{l.path}: <code>{view.cgroupPath}</code></p>
        <div class="cgroup-memory-files">
          {Object.entries(view.files).map(([name, text]) => (
            <figure key={name}>
              <figcaption><code>{name}</code></figcaption>
              <pre data-file={name}>{text || '(empty)'}</pre>
            </figure>
          ))}
        </div>
      </details>
    </div>
  );
}

export default function CgroupMemory(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<MemoryPressureView>
      {...props}
      run={(texts) => runMemoryPressure(texts[props.files[0]!.id] ?? '')}
      render={(view, locale) => <CgroupMemoryView view={view} locale={locale} />}
    />
  );
}
