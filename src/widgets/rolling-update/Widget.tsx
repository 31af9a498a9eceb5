/**
 * Layer 3 "controllers": edit a Deployment (replicas, strategy, maxSurge,
 * maxUnavailable, progressDeadlineSeconds, image); the rollout runs second by
 * second and shows old/new/available pods against the bounds
 * desired+maxSurge and desired−maxUnavailable, the controller's events and
 * the revision history. Layout and wiring only; the model is runRollingUpdate.
 */
import { runRollingUpdate, type RollingUpdateView } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

type Series = 'oldPods' | 'newPods' | 'availablePods' | 'totalPods';
const SERIES: { key: Series; cls: string }[] = [
  { key: 'oldPods', cls: 'ru-old' },
  { key: 'newPods', cls: 'ru-new' },
  { key: 'availablePods', cls: 'ru-available' },
  { key: 'totalPods', cls: 'ru-total' },
];

const L = {
  ja: {
    series: { oldPods: '旧 ReplicaSet の Pod', newPods: '新 ReplicaSet の Pod', availablePods: '利用可能 (available) な Pod', totalPods: 'Pod の合計' } as Record<Series, string>,
    bounds: '上限 desired+maxSurge / 下限 desired−maxUnavailable',
    caption: (v: RollingUpdateView) =>
      v.strategy === 'Recreate'
        ? `Recreate: 旧 Pod ${v.desiredReplicas} 個をすべて止めてから新しい Pod を作ります (${v.fromImage} → ${v.toImage})。`
        : `replicas ${v.desiredReplicas}、maxSurge ${v.maxSurge}、maxUnavailable ${v.maxUnavailable}: Pod は最大 ${v.maxTotalPods} 個、利用可能な Pod は最低 ${v.minAvailablePods} 個 (${v.fromImage} → ${v.toImage})。`,
    done: (v: RollingUpdateView) =>
      v.completedAtSeconds !== null ? `${v.completedAtSeconds} 秒でロールアウトが完了しました。`
      : v.progressDeadlineExceededAtSeconds !== null ? `${v.progressDeadlineExceededAtSeconds} 秒で Progressing=False (ProgressDeadlineExceeded) になりました。`
      : 'シミュレーションの時間内に完了しませんでした。',
    chart: (v: RollingUpdateView) => {
      const last = v.timeline[v.timeline.length - 1]!;
      const peak = Math.max(...v.timeline.map((p) => p.totalPods));
      const low = Math.min(...v.timeline.map((p) => p.availablePods));
      return `0 秒から ${last.timeSeconds} 秒までの Pod 数。Pod の合計は最大 ${peak} 個 (上限 ${v.maxTotalPods})、利用可能な Pod は最少 ${low} 個 (下限 ${v.minAvailablePods})。最後は新 ${last.newPods} 個、旧 ${last.oldPods} 個。`;
    },
    steps: '変化のあった時刻', stepsLabel: '時刻ごとの Pod 数',
    time: '時刻 (秒)', old: '旧', neu: '新', available: '利用可能', total: '合計', progressing: 'Progressing',
    events: 'コントローラーのイベント', eventsLabel: 'イベントの一覧',
    revisions: 'リビジョン履歴 (ReplicaSet)', revisionsLabel: 'ReplicaSet ごとのリビジョン', revision: 'revision', rs: 'ReplicaSet', image: 'イメージ', replicas: 'replicas',
    violations: (n: number) => (n === 0 ? '上限・下限の検査: 違反なし' : `上限・下限の検査: 違反 ${n} 件`),
    seconds: '秒',
  },
  en: {
    series: { oldPods: 'old ReplicaSet pods', newPods: 'new ReplicaSet pods', availablePods: 'available pods', totalPods: 'total pods' } as Record<Series, string>,
    bounds: 'ceiling desired+maxSurge / floor desired−maxUnavailable',
    caption: (v: RollingUpdateView) =>
      v.strategy === 'Recreate'
        ? `Recreate: all ${v.desiredReplicas} old pods stop before any new pod is created (${v.fromImage} → ${v.toImage}).`
        : `replicas ${v.desiredReplicas}, maxSurge ${v.maxSurge}, maxUnavailable ${v.maxUnavailable}: at most ${v.maxTotalPods} pods, at least ${v.minAvailablePods} available (${v.fromImage} → ${v.toImage}).`,
    done: (v: RollingUpdateView) =>
      v.completedAtSeconds !== null ? `The rollout completed after ${v.completedAtSeconds} s.`
      : v.progressDeadlineExceededAtSeconds !== null ? `Progressing=False (ProgressDeadlineExceeded) after ${v.progressDeadlineExceededAtSeconds} s.`
      : 'The rollout did not finish within the simulated time.',
    chart: (v: RollingUpdateView) => {
      const last = v.timeline[v.timeline.length - 1]!;
      const peak = Math.max(...v.timeline.map((p) => p.totalPods));
      const low = Math.min(...v.timeline.map((p) => p.availablePods));
      return `Pod counts from 0 to ${last.timeSeconds} s. Total pods peak at ${peak} (ceiling ${v.maxTotalPods}); available pods never drop below ${low} (floor ${v.minAvailablePods}). At the end: ${last.newPods} new, ${last.oldPods} old.`;
    },
    steps: 'Moments when something changed', stepsLabel: 'Pod counts over time',
    time: 'Time (s)', old: 'Old', neu: 'New', available: 'Available', total: 'Total', progressing: 'Progressing',
    events: 'Controller events', eventsLabel: 'List of events',
    revisions: 'Revision history (ReplicaSets)', revisionsLabel: 'Revision per ReplicaSet', revision: 'revision', rs: 'ReplicaSet', image: 'Image', replicas: 'replicas',
    violations: (n: number) => (n === 0 ? 'Bounds check: no violations' : `Bounds check: ${n} violations`),
    seconds: 's',
  },
};

function Chart({ view, locale }: { view: RollingUpdateView; locale: Locale }) {
  const width = 640;
  const height = 220;
  const left = 32;
  const bottom = 20;
  const top = 8;
  const pts = view.timeline;
  const tMax = Math.max(1, pts[pts.length - 1]!.timeSeconds);
  const yMax = Math.max(view.maxTotalPods, ...pts.map((p) => p.totalPods)) + 1;
  const x = (t: number) => left + (t / tMax) * (width - left - 8);
  const y = (n: number) => top + (1 - n / yMax) * (height - top - bottom);
  const step = (key: Series) => pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.timeSeconds).toFixed(1)},${y(i === 0 ? p[key] : pts[i - 1]![key]).toFixed(1)} L${x(p.timeSeconds).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  return (
    <svg class="rolling-update-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].chart(view)}>
      <line class="ru-axis" x1={left} y1={y(0)} x2={width - 8} y2={y(0)} />
      <line class="ru-axis" x1={left} y1={top} x2={left} y2={y(0)} />
      {view.strategy === 'RollingUpdate' && (
        <>
          <line class="ru-bound" x1={left} y1={y(view.maxTotalPods)} x2={width - 8} y2={y(view.maxTotalPods)} />
          <line class="ru-bound" x1={left} y1={y(view.minAvailablePods)} x2={width - 8} y2={y(view.minAvailablePods)} />
          <text x={2} y={y(view.maxTotalPods) + 4}>{view.maxTotalPods}</text>
          <text x={2} y={y(view.minAvailablePods) + 4}>{view.minAvailablePods}</text>
        </>
      )}
      <text x={2} y={y(0) + 4}>0</text>
      {SERIES.map((s) => <path key={s.key} class={`ru-line ${s.cls}`} d={step(s.key)} />)}
      <text x={left} y={height - 4}>0</text>
      <text x={width - 8} y={height - 4} text-anchor="end">{tMax} {L[locale].seconds}</text>
    </svg>
  );
}

/** The points where any count changed (the first and last always kept), at most 80. */
function changes(view: RollingUpdateView) {
  const out = view.timeline.filter((p, i, a) => i === 0 || i === a.length - 1 || p.oldPods !== a[i - 1]!.oldPods || p.newPods !== a[i - 1]!.newPods || p.availablePods !== a[i - 1]!.availablePods || p.totalPods !== a[i - 1]!.totalPods);
  return out.slice(0, 80);
}

export function RollingUpdateResult({ view, locale }: { view: RollingUpdateView; locale: Locale }) {
  const l = L[locale];
  return (
    <div class="rolling-update-view">
      <p class="widget-caption" data-field="caption">{l.caption(view)}</p>
      <p class="widget-caption" data-field="done">{l.done(view)}</p>
      <ul class="rolling-update-legend">
        {SERIES.map((s) => <li key={s.key}><span class={`rolling-update-swatch ${s.cls}`} aria-hidden="true" />{l.series[s.key]}</li>)}
        {view.strategy === 'RollingUpdate' && <li><span class="rolling-update-swatch ru-bound-swatch" aria-hidden="true" />{l.bounds}</li>}
      </ul>
      <Chart view={view} locale={locale} />
      <p class="widget-caption" data-field="violations">{l.violations(view.violations.length)}</p>
      <details open>
        <summary>{l.steps}</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.stepsLabel}>
          <table class="widget-table">
            <thead>
              <tr><th scope="col">{l.time}</th><th scope="col">{l.old}</th><th scope="col">{l.neu}</th><th scope="col">{l.available}</th><th scope="col">{l.total}</th><th scope="col">{l.progressing}</th></tr>
            </thead>
            <tbody>
              {changes(view).map((p) => (
                <tr key={p.timeSeconds} data-time={p.timeSeconds}>
                  <th scope="row">{p.timeSeconds}</th>
                  <td data-field="old">{p.oldPods}</td>
                  <td data-field="new">{p.newPods}</td>
                  <td data-field="available">{p.availablePods}</td>
                  <td data-field="total">{p.totalPods}</td>
                  <td data-field="progressing">{p.progressing}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <details>
        <summary>{l.events}</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.eventsLabel}>
          <ol>
            {view.events.map((e, i) => <li key={i} data-reason={e.reason}><code>{e.timeSeconds} {l.seconds}</code> {e.reason}: {e.message}</li>)}
          </ol>
        </div>
      </details>
      <details>
        <summary>{l.revisions}</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.revisionsLabel}>
          <table class="widget-table">
            <thead><tr><th scope="col">{l.revision}</th><th scope="col">{l.rs}</th><th scope="col">{l.image}</th><th scope="col">{l.replicas}</th></tr></thead>
            <tbody>
              {view.revisions.map((r) => (
                <tr key={r.name} data-revision={r.revision}><th scope="row">{r.revision}</th><td>{r.name}</td><td>{r.image}</td><td>{r.replicas}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

export default function RollingUpdate(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<RollingUpdateView>
      {...props}
      run={(texts, seed) => runRollingUpdate(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <RollingUpdateResult view={view} locale={locale} />}
    />
  );
}
