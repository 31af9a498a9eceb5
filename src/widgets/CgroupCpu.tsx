/**
 * Layer 1 "cgroup v2: CPU": edit cpu.weight / cpu.max of sibling containers,
 * run the CFS model, see a CPU timeline with throttled stretches and each
 * cgroup's cpu.stat. Layout and wiring only; the model is sim's runCgroupCpu.
 */
import { runCgroupCpu, formatCpuStat, type CgroupCpuView } from '@sim';
import { SnippetShell, type SnippetFile } from './shell/SnippetShell.tsx';
import type { Locale } from '../i18n/ui.ts';

const L = {
  ja: {
    tableLabel: 'cgroup ごとの結果', container: 'コンテナ', threads: 'スレッド', avg: '平均 CPU', share: '全 CPU 時間に占める割合',
    timeline: (cpus: number, ms: number) => `CPU ${cpus} 個、${ms} ms の実行。棒の高さが使った CPU 数、赤い帯がスロットル中。`,
    idle: (ms: number) => `誰も使わなかった CPU 時間: ${ms} ms`,
    chart: (v: CgroupCpuView) => `各コンテナの CPU 使用量の時系列。` + v.groups.map((g) => `${g.name} は平均 ${g.avgCpus.toFixed(2)} CPU、スロットル ${g.stat.nr_throttled} 回`).join('、'),
  },
  en: {
    tableLabel: 'Results per cgroup', container: 'Container', threads: 'Threads', avg: 'Avg CPUs', share: 'Share of all CPU time',
    timeline: (cpus: number, ms: number) => `${cpus} CPUs for ${ms} ms. Bar height is CPUs used; red bands are throttled time.`,
    idle: (ms: number) => `CPU time nobody used: ${ms} ms`,
    chart: (v: CgroupCpuView) => `CPU use over time per container. ` + v.groups.map((g) => `${g.name} averaged ${g.avgCpus.toFixed(2)} CPUs, throttled ${g.stat.nr_throttled} times`).join('; '),
  },
};

function Timeline({ view, locale }: { view: CgroupCpuView; locale: Locale }) {
  const rowH = 44;
  const labelW = 70;
  const width = 640;
  const plotW = width - labelW - 8;
  const n = view.buckets.length;
  const bw = plotW / n;
  const maxCpus = Math.max(1, ...view.groups.map((g) => Math.min(g.busyThreads, view.cpus)));
  const height = view.groups.length * rowH + 22;
  return (
    <svg class="cpu-timeline" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].chart(view)}>
      {view.groups.map((g, gi) => {
        const y0 = gi * rowH + 4;
        return (
          <g key={g.name} class={`series-${gi % 6}`}>
            <text x={0} y={y0 + rowH / 2} class="cpu-label">{g.name}</text>
            <line x1={labelW} x2={labelW + plotW} y1={y0 + rowH - 6} y2={y0 + rowH - 6} class="cpu-axis" />
            {view.buckets.map((b, i) => {
              const h = ((b.cpus[gi] ?? 0) / maxCpus) * (rowH - 10);
              const thr = b.throttled[gi] ?? 0;
              return (
                <g key={i}>
                  {thr > 0.01 && <rect x={labelW + i * bw} y={y0} width={bw} height={rowH - 6} class="cpu-throttled" opacity={0.25 + 0.6 * thr} />}
                  {h > 0.2 && <rect x={labelW + i * bw} y={y0 + rowH - 6 - h} width={Math.max(0.5, bw - 0.3)} height={h} class="cpu-bar" />}
                </g>
              );
            })}
          </g>
        );
      })}
      <text x={labelW} y={height - 4} class="cpu-tick">0 ms</text>
      <text x={labelW + plotW} y={height - 4} class="cpu-tick" text-anchor="end">{view.durationMs} ms</text>
    </svg>
  );
}

export function CgroupCpuView({ view, locale }: { view: CgroupCpuView; locale: Locale }) {
  const l = L[locale];
  return (
    <div class="cgroup-cpu-view">
      <p class="widget-caption">{l.timeline(view.cpus, view.durationMs)}</p>
      <Timeline view={view} locale={locale} />
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.tableLabel}>
      <table class="widget-table">
        <thead>
          <tr>
            <th scope="col">{l.container}</th>
            <th scope="col">cpu.weight</th>
            <th scope="col">cpu.max</th>
            <th scope="col">{l.threads}</th>
            <th scope="col">{l.avg}</th>
            <th scope="col">nr_periods</th>
            <th scope="col">nr_throttled</th>
            <th scope="col">throttled_usec</th>
          </tr>
        </thead>
        <tbody>
          {view.groups.map((g) => (
            <tr key={g.name} data-group={g.name}>
              <th scope="row">{g.name}</th>
              <td>{g.files['cpu.weight']}</td>
              <td><code>{g.files['cpu.max']}</code></td>
              <td>{g.busyThreads}</td>
              <td data-field="avg-cpus">{g.avgCpus.toFixed(2)}</td>
              <td data-field="nr_periods">{g.stat.nr_periods}</td>
              <td data-field="nr_throttled">{g.stat.nr_throttled}</td>
              <td data-field="throttled_usec">{g.stat.throttled_usec}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <p class="widget-caption">{l.idle(Math.round(view.idleUs / 1000))}</p>
      <details>
        <summary>cpu.stat</summary>
        <div class="cpu-stat-grid">
          {view.groups.map((g) => (
            <figure key={g.name}>
              <figcaption>{g.name}/cpu.stat</figcaption>
              <pre data-cpu-stat={g.name}>{formatCpuStat(g.stat)}</pre>
            </figure>
          ))}
        </div>
      </details>
    </div>
  );
}

export default function CgroupCpu(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[] }) {
  return (
    <SnippetShell<CgroupCpuView>
      {...props}
      run={(texts) => runCgroupCpu(texts[props.files[0]!.id] ?? '')}
      render={(view, locale) => <CgroupCpuView view={view} locale={locale} />}
    />
  );
}
