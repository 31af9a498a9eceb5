/**
 * Layer 0 "CPU": runnable threads on cores, with requests (weights), limits
 * (quota per period) and cpusets. Layout and wiring only; the model is sim's
 * runCpuCores (sim/src/hardware/cpu).
 */
import { runCpuCores, type CpuCoresView } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const pct = (x: number) => `${Math.round(x * 100)}%`;
const milli = (m: number | null) => (m === null ? '—' : m % 1000 === 0 ? String(m / 1000) : `${m}m`);

const L = {
  ja: {
    caption: (v: CpuCoresView) => `コア ${v.cores} 個、${v.durationMs} ms (1 マス ${v.bucketMs} ms)。色はそのコアで走ったグループ、灰色は空き。`,
    chart: (v: CpuCoresView) =>
      `コアごとの実行の時系列。` + v.timeline.map((c) => `コア ${c.core} の使用率 ${pct(c.utilisation)}`).join('、') + '。' +
      v.groups.map((g) => `${g.name} は平均 ${g.avgCpus.toFixed(2)} CPU` + (g.nrThrottled ? `、${g.nrThrottled} 周期でスロットル` : '')).join('、'),
    groups: 'グループ (cgroup) ごとの結果', group: 'グループ', threads: 'スレッド数', request: 'request', limit: 'limit',
    weight: '重み (cpu.shares)', quota: 'quota / 周期', avg: '平均 CPU', throttled: 'スロットル周期', throttledMs: 'スロットル中に待った時間',
    perThread: 'スレッドごとの内訳', thread: 'スレッド', cpuMs: 'CPU 時間', waitMs: '待ち時間', share: 'コア 1 個に対する割合', migrations: 'コア移動',
    legend: '凡例', idle: '空き', none: 'なし',
  },
  en: {
    caption: (v: CpuCoresView) => `${v.cores} cores for ${v.durationMs} ms (${v.bucketMs} ms per cell). Colour is the group that ran on the core; grey is idle.`,
    chart: (v: CpuCoresView) =>
      `What ran on each core over time. ` + v.timeline.map((c) => `core ${c.core} busy ${pct(c.utilisation)}`).join(', ') + '. ' +
      v.groups.map((g) => `${g.name} averaged ${g.avgCpus.toFixed(2)} CPUs` + (g.nrThrottled ? `, throttled in ${g.nrThrottled} periods` : '')).join('; '),
    groups: 'Results per group (cgroup)', group: 'Group', threads: 'Threads', request: 'request', limit: 'limit',
    weight: 'Weight (cpu.shares)', quota: 'Quota / period', avg: 'Avg CPUs', throttled: 'Throttled periods', throttledMs: 'Time waiting while throttled',
    perThread: 'Per thread', thread: 'Thread', cpuMs: 'CPU time', waitMs: 'Waiting', share: 'Share of one core', migrations: 'Migrations',
    legend: 'Legend', idle: 'idle', none: 'none',
  },
};

function Chart({ view, locale }: { view: CpuCoresView; locale: Locale }) {
  const rowH = 26;
  const labelW = 64;
  const width = 640;
  const plotW = width - labelW - 8;
  const n = view.timeline[0]?.slots.length ?? 1;
  const cw = plotW / n;
  const height = view.timeline.length * rowH + 20;
  const groupOf = view.threads.map((t) => view.groups.findIndex((g) => g.name === t.group));
  return (
    <svg class="cpu-cores-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].chart(view)}>
      {view.timeline.map((c, ci) => {
        const y = ci * rowH + 2;
        return (
          <g key={c.core}>
            <text x={0} y={y + rowH / 2 + 3} class="cpu-cores-label">{locale === 'ja' ? `コア ${c.core}` : `core ${c.core}`}</text>
            <rect x={labelW} y={y} width={plotW} height={rowH - 6} class="cpu-cores-idle" />
            {c.slots.map((t, i) => (t < 0 ? null : <rect key={i} x={labelW + i * cw} y={y} width={cw + 0.2} height={rowH - 6} class={`cpu-cores-series-${groupOf[t]! % 6}`} />))}
          </g>
        );
      })}
      <text x={labelW} y={height - 4} class="cpu-cores-tick">0 ms</text>
      <text x={labelW + plotW} y={height - 4} class="cpu-cores-tick" text-anchor="end">{view.durationMs} ms</text>
    </svg>
  );
}

export function CpuCoresResult({ view, locale }: { view: CpuCoresView; locale: Locale }) {
  const l = L[locale];
  return (
    <div class="cpu-cores-view">
      <p class="widget-caption">{l.caption(view)}</p>
      <ul class="cpu-cores-legend" aria-label={l.legend}>
        {view.groups.map((g, i) => (
          <li key={g.name}><span class={`cpu-cores-swatch cpu-cores-series-${i % 6}`} aria-hidden="true" />{g.name}</li>
        ))}
        <li><span class="cpu-cores-swatch cpu-cores-idle" aria-hidden="true" />{l.idle}</li>
      </ul>
      <Chart view={view} locale={locale} />
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.groups}>
        <table class="widget-table">
          <thead>
            <tr>
              <th scope="col">{l.group}</th>
              <th scope="col">{l.threads}</th>
              <th scope="col">cpuset</th>
              <th scope="col">{l.request}</th>
              <th scope="col">{l.limit}</th>
              <th scope="col">{l.weight}</th>
              <th scope="col">{l.quota}</th>
              <th scope="col">{l.avg}</th>
              <th scope="col">{l.throttled}</th>
              <th scope="col">{l.throttledMs}</th>
            </tr>
          </thead>
          <tbody>
            {view.groups.map((g) => (
              <tr key={g.name} data-group={g.name}>
                <th scope="row">{g.name}</th>
                <td>{g.count}</td>
                <td><code>{g.cpuset}</code></td>
                <td data-field="request">{milli(g.requestMilli)}</td>
                <td data-field="limit">{milli(g.limitMilli)}</td>
                <td data-field="weight">{g.weight}</td>
                <td data-field="quota">{g.quotaMs === null ? l.none : `${g.quotaMs} ms / ${view.periodMs} ms`}</td>
                <td data-field="avg-cpus">{g.avgCpus.toFixed(2)}</td>
                <td data-field="nr_throttled">{g.nrThrottled} / {g.nrPeriods}</td>
                <td data-field="throttled-ms">{g.throttledMs} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>{l.perThread}</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.perThread}>
          <table class="widget-table">
            <thead>
              <tr>
                <th scope="col">{l.thread}</th>
                <th scope="col">cpuset</th>
                <th scope="col">{l.cpuMs}</th>
                <th scope="col">{l.waitMs}</th>
                <th scope="col">{l.share}</th>
                <th scope="col">{l.migrations}</th>
              </tr>
            </thead>
            <tbody>
              {view.threads.map((t) => (
                <tr key={t.name} data-thread={t.name}>
                  <th scope="row">{t.name}</th>
                  <td><code>{t.cpuset}</code></td>
                  <td data-field="cpu-ms">{t.cpuMs} ms</td>
                  <td data-field="wait-ms">{t.waitMs} ms</td>
                  <td data-field="core-share">{pct(t.coreShare)}</td>
                  <td data-field="migrations">{t.migrations}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

export default function CpuCores(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<CpuCoresView>
      {...props}
      run={(texts, seed) => runCpuCores(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <CpuCoresResult view={view} locale={locale} />}
    />
  );
}
