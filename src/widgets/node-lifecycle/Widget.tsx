/**
 * Layer 3 "controllers": a scenario script stops a kubelet (or makes it
 * report NotReady); the node lifecycle controller turns Ready into Unknown
 * after node-monitor-grace-period, taints the node, and the taint eviction
 * controller evicts its pods once their tolerationSeconds run out. Shows a
 * Ready-over-time band per node, the final state, the events and the
 * evictions. Layout and wiring only; the model is runNodeLifecycle.
 */
import { runNodeLifecycle, type NodeLifecycleView } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

type Ready = 'True' | 'Unknown' | 'False';
const READY: Ready[] = ['True', 'Unknown', 'False'];

const L = {
  ja: {
    settings: (v: NodeLifecycleView) =>
      `Lease の更新 ${v.settings.leaseRenewIntervalSeconds} 秒ごと、node-monitor-period ${v.settings.nodeMonitorPeriodSeconds} 秒、node-monitor-grace-period ${v.settings.nodeMonitorGracePeriodSeconds} 秒、tolerationSeconds ${v.settings.tolerationSeconds === null ? 'なし (退避しない)' : `${v.settings.tolerationSeconds} 秒`}。`,
    ready: { True: 'Ready=True', Unknown: 'Ready=Unknown', False: 'Ready=False' } as Record<Ready, string>,
    taintMark: '縦線: NoExecute taint が付いた時刻', evictMark: '丸: Pod が退避された時刻',
    chart: (v: NodeLifecycleView) => {
      const parts = v.events.filter((e) => e.kind === 'NodeNotReady' || e.kind === 'TaintAdded' || e.kind === 'NodeReady').map((e) => `${e.timeSeconds} 秒に ${e.node} ${e.kind === 'TaintAdded' ? `に taint ${e.message}` : e.kind === 'NodeReady' ? 'が Ready に戻る' : 'が NotReady/Unknown'}`);
      const ev = v.evictions.length ? `Pod の退避 ${v.evictions.length} 件 (最初は ${v.evictions[0]!.timeSeconds} 秒)` : 'Pod の退避なし';
      return `ノードごとの Ready 状態の時系列。${parts.join('、') || '状態の変化なし'}。${ev}。`;
    },
    finalLabel: '最後の時点のノードの状態', node: 'ノード', readyCol: 'Ready', taints: 'taint', pods: '残っている Pod', lease: 'Lease の経過 (秒)', none: 'なし',
    events: '出来事', eventsLabel: '出来事の一覧', evictions: (n: number) => `退避された Pod: ${n} 個`, seconds: '秒',
  },
  en: {
    settings: (v: NodeLifecycleView) =>
      `Lease renewed every ${v.settings.leaseRenewIntervalSeconds} s, node-monitor-period ${v.settings.nodeMonitorPeriodSeconds} s, node-monitor-grace-period ${v.settings.nodeMonitorGracePeriodSeconds} s, tolerationSeconds ${v.settings.tolerationSeconds === null ? 'none (never evicted)' : `${v.settings.tolerationSeconds} s`}.`,
    ready: { True: 'Ready=True', Unknown: 'Ready=Unknown', False: 'Ready=False' } as Record<Ready, string>,
    taintMark: 'vertical line: a NoExecute taint was added', evictMark: 'dot: a pod was evicted',
    chart: (v: NodeLifecycleView) => {
      const parts = v.events.filter((e) => e.kind === 'NodeNotReady' || e.kind === 'TaintAdded' || e.kind === 'NodeReady').map((e) => `at ${e.timeSeconds} s ${e.node} ${e.kind === 'TaintAdded' ? `gets taint ${e.message}` : e.kind === 'NodeReady' ? 'is Ready again' : 'becomes NotReady/Unknown'}`);
      const ev = v.evictions.length ? `${v.evictions.length} pods evicted (first at ${v.evictions[0]!.timeSeconds} s)` : 'no pod evicted';
      return `Ready status of each node over time. ${parts.join('; ') || 'no change'}. ${ev}.`;
    },
    finalLabel: 'Node state at the end', node: 'Node', readyCol: 'Ready', taints: 'Taints', pods: 'Pods left', lease: 'Lease age (s)', none: 'none',
    events: 'Events', eventsLabel: 'List of events', evictions: (n: number) => `Pods evicted: ${n}`, seconds: 's',
  },
};

interface Band { from: number; to: number; ready: Ready }

function bands(view: NodeLifecycleView, i: number): Band[] {
  const out: Band[] = [];
  let prev = 0;
  for (const p of view.timeline) {
    const r = p.nodes[i]!.ready as Ready;
    const last = out[out.length - 1];
    if (last && last.ready === r) last.to = p.timeSeconds;
    else out.push({ from: prev, to: p.timeSeconds, ready: r });
    prev = p.timeSeconds;
  }
  return out;
}

function Chart({ view, locale }: { view: NodeLifecycleView; locale: Locale }) {
  const names = view.timeline[0]?.nodes.map((n) => n.name) ?? [];
  const rowH = 24;
  const labelW = 56;
  const width = 640;
  const height = names.length * rowH + 20;
  const tMax = Math.max(1, view.timeline[view.timeline.length - 1]?.timeSeconds ?? 1);
  const x = (t: number) => labelW + (t / tMax) * (width - labelW - 8);
  return (
    <svg class="node-lifecycle-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].chart(view)}>
      {names.map((name, i) => {
        const y0 = i * rowH + 4;
        return (
          <g key={name}>
            <text x={0} y={y0 + 14}>{name}</text>
            {bands(view, i).map((b, k) => <rect key={k} class={`nl-${b.ready}`} x={x(b.from)} y={y0 + 2} width={Math.max(0.5, x(b.to) - x(b.from))} height={rowH - 8} />)}
            {view.events.filter((e) => e.node === name && e.kind === 'TaintAdded' && e.message.endsWith(':NoExecute')).map((e, k) => (
              <line key={`t${k}`} class="nl-taint" x1={x(e.timeSeconds)} x2={x(e.timeSeconds)} y1={y0} y2={y0 + rowH - 4} />
            ))}
            {view.evictions.filter((e) => e.node === name).slice(0, 1).map((e) => <circle key="e" class="nl-evict" cx={x(e.timeSeconds)} cy={y0 + rowH / 2 - 2} r={4} />)}
          </g>
        );
      })}
      <text x={labelW} y={height - 4}>0</text>
      <text x={width - 8} y={height - 4} text-anchor="end">{tMax} {L[locale].seconds}</text>
    </svg>
  );
}

export function NodeLifecycleResult({ view, locale }: { view: NodeLifecycleView; locale: Locale }) {
  const l = L[locale];
  const last = view.timeline[view.timeline.length - 1];
  return (
    <div class="node-lifecycle-view">
      <p class="widget-caption" data-field="settings">{l.settings(view)}</p>
      <ul class="node-lifecycle-legend">
        {READY.map((r) => <li key={r}><span class={`node-lifecycle-swatch nl-${r}`} aria-hidden="true" />{l.ready[r]}</li>)}
        <li>{l.taintMark}</li>
        <li>{l.evictMark}</li>
      </ul>
      <Chart view={view} locale={locale} />
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.finalLabel}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.node}</th><th scope="col">{l.readyCol}</th><th scope="col">{l.taints}</th><th scope="col">{l.lease}</th><th scope="col">{l.pods}</th></tr></thead>
          <tbody>
            {(last?.nodes ?? []).map((n) => (
              <tr key={n.name} data-node={n.name}>
                <th scope="row">{n.name}</th>
                <td data-field="ready">{n.ready}</td>
                <td data-field="taints">{n.taints.length ? n.taints.join(', ') : l.none}</td>
                <td data-field="lease">{n.leaseAgeSeconds}</td>
                <td data-field="pods">{n.pods}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="widget-caption" data-field="evictions">{l.evictions(view.evictions.length)}</p>
      <details open>
        <summary>{l.events}</summary>
        <div class="table-scroll node-lifecycle-events" tabIndex={0} role="region" aria-label={l.eventsLabel}>
          <ol>
            {view.events.map((e, i) => <li key={i} data-kind={e.kind} data-node={e.node}><code>{e.timeSeconds} {l.seconds}</code> {e.node} {e.kind}: {e.message}</li>)}
          </ol>
        </div>
      </details>
    </div>
  );
}

export default function NodeLifecycle(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<NodeLifecycleView>
      {...props}
      run={(texts, seed) => runNodeLifecycle(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <NodeLifecycleResult view={view} locale={locale} />}
    />
  );
}
