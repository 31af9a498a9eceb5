/**
 * Layer 3 "kubelet": edit a Pod (probes, restartPolicy) and a small script of
 * what the program inside does; see the kubelet's timeline — CRI calls,
 * probe results, kills and restarts with crash-loop back-off, Ready flips and
 * whether the Pod is a ready endpoint of its Service. Layout only; the model
 * is sim's runKubeletPod.
 */
import { runKubeletPod, formatKubeletDuration, type KubeletPodView, type KubeletEvent } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const MAX_EVENT_ROWS = 400;

const mib = (b: number) => `${Math.round((b / 1048576) * 10) / 10} MiB`;
const cpu = (m: number) => `${m}m`;

const L = {
  ja: {
    node: (v: KubeletPodView) => {
      const b = v.node.breakdown;
      return `ノード ${v.node.name}: capacity cpu ${cpu(b.capacity.milliCPU)}・memory ${mib(b.capacity.memory)} − kube-reserved (${cpu(b.kubeReserved.milliCPU)}, ${mib(b.kubeReserved.memory)}) − system-reserved (${cpu(b.systemReserved.milliCPU)}, ${mib(b.systemReserved.memory)}) − eviction-hard (memory ${mib(b.evictionHard.memory)}) = allocatable cpu ${cpu(b.allocatable.milliCPU)}・memory ${mib(b.allocatable.memory)}・pods ${b.allocatable.pods}`;
    },
    caption: (v: KubeletPodView) => `${v.summary.runS} 秒の実行。上段がコンテナの状態 (白線が再起動)、赤い点がプローブ失敗、その下が Ready 条件${v.service ? ` と Service ${v.service.name} のエンドポイント` : ''}。`,
    chart: (v: KubeletPodView) => `タイムライン: 再起動 ${v.restarts.length} 回` + (v.restarts.length ? `（${v.restarts.map((r) => `${r.startedAt} 秒に再起動、${r.waitedS} 秒待ち`).join('、')}）` : '') + `。Ready の切り替わり ${v.summary.readyFlips.length} 回。最後は ${v.final.phase}、Ready ${v.final.ready ? 'True' : 'False'}。`,
    rejected: (r: { reason: string; message: string }) => `kubelet が受け入れを拒否しました: ${r.reason} — ${r.message}`,
    final: (v: KubeletPodView) => `終了時点: phase ${v.final.phase}、Ready ${v.final.ready ? 'True' : 'False'}、restartCount ${v.final.restartCounts.join(' / ')}${v.final.waiting.some(Boolean) ? `、waiting ${v.final.waiting.filter(Boolean).join(' / ')}` : ''}${v.final.endpoint !== 'none' ? `、エンドポイント ${v.final.endpoint === 'ready' ? 'ready (トラフィックを受ける)' : 'not ready (外される)'}` : ''}、Pod IP ${v.pod.podIP || '—'}`,
    backoff: (v: KubeletPodView) => `クラッシュループのバックオフ: 初期 ${v.backoff.initialS} 秒、倍々で最大 ${v.backoff.maxS} 秒${v.backoff.reduced ? '（ReduceDefaultCrashLoopBackOffDecay 有効）' : ''}。`,
    restartsLabel: '再起動の一覧', n: '#', container: 'コンテナ', finished: '終了 (秒)', cause: '理由', exit: '終了コード', started: '再起動 (秒)', waited: '待ち (秒)',
    causes: { liveness: 'liveness 失敗', startup: 'startup 失敗', exit: 'プロセス終了' } as Record<string, string>,
    noRestarts: '再起動はありません。',
    legend: { running: '実行中', waiting: '待機 (作成中・バックオフ)', terminated: '終了', ready: 'Ready / エンドポイント ready', notready: 'Not ready' },
    rows: { ready: 'Ready', endpoint: 'endpoint', probes: 'probe ✗' },
    events: (shown: number, hidden: number) => `kubelet の出来事 (${shown} 件${hidden ? `、成功したプローブ ${hidden} 件は省略` : ''})`,
    eventsLabel: '出来事の一覧', t: '秒', kind: '種類', what: '内容',
    probes: 'プローブ (既定値を補った値)', probesLabel: 'プローブの設定', type: '種類', handler: '方法',
  },
  en: {
    node: (v: KubeletPodView) => {
      const b = v.node.breakdown;
      return `Node ${v.node.name}: capacity cpu ${cpu(b.capacity.milliCPU)}, memory ${mib(b.capacity.memory)} − kube-reserved (${cpu(b.kubeReserved.milliCPU)}, ${mib(b.kubeReserved.memory)}) − system-reserved (${cpu(b.systemReserved.milliCPU)}, ${mib(b.systemReserved.memory)}) − eviction-hard (memory ${mib(b.evictionHard.memory)}) = allocatable cpu ${cpu(b.allocatable.milliCPU)}, memory ${mib(b.allocatable.memory)}, pods ${b.allocatable.pods}`;
    },
    caption: (v: KubeletPodView) => `${v.summary.runS} seconds. Top: container state (white lines are restarts); red dots are probe failures; below: the Ready condition${v.service ? ` and the endpoint in Service ${v.service.name}` : ''}.`,
    chart: (v: KubeletPodView) => `Timeline: ${v.restarts.length} restarts` + (v.restarts.length ? ` (${v.restarts.map((r) => `restarted at ${r.startedAt} s after waiting ${r.waitedS} s`).join('; ')})` : '') + `. Ready changed ${v.summary.readyFlips.length} times. At the end: ${v.final.phase}, Ready ${v.final.ready ? 'True' : 'False'}.`,
    rejected: (r: { reason: string; message: string }) => `The kubelet rejected the pod: ${r.reason} — ${r.message}`,
    final: (v: KubeletPodView) => `At the end: phase ${v.final.phase}, Ready ${v.final.ready ? 'True' : 'False'}, restartCount ${v.final.restartCounts.join(' / ')}${v.final.waiting.some(Boolean) ? `, waiting ${v.final.waiting.filter(Boolean).join(' / ')}` : ''}${v.final.endpoint !== 'none' ? `, endpoint ${v.final.endpoint === 'ready' ? 'ready (gets traffic)' : 'not ready (taken out)'}` : ''}, pod IP ${v.pod.podIP || '—'}`,
    backoff: (v: KubeletPodView) => `Crash-loop back-off: starts at ${v.backoff.initialS} s, doubles up to ${v.backoff.maxS} s${v.backoff.reduced ? ' (ReduceDefaultCrashLoopBackOffDecay on)' : ''}.`,
    restartsLabel: 'Restarts', n: '#', container: 'Container', finished: 'Finished (s)', cause: 'Why', exit: 'Exit code', started: 'Restarted (s)', waited: 'Waited (s)',
    causes: { liveness: 'liveness failed', startup: 'startup failed', exit: 'process exited' } as Record<string, string>,
    noRestarts: 'No restarts.',
    legend: { running: 'running', waiting: 'waiting (creating, back-off)', terminated: 'terminated', ready: 'Ready / endpoint ready', notready: 'not ready' },
    rows: { ready: 'Ready', endpoint: 'endpoint', probes: 'probe ✗' },
    events: (shown: number, hidden: number) => `Kubelet events (${shown}${hidden ? `; ${hidden} successful probes hidden` : ''})`,
    eventsLabel: 'List of events', t: 's', kind: 'Kind', what: 'What',
    probes: 'Probes (with defaults filled in)', probesLabel: 'Probe settings', type: 'Type', handler: 'Handler',
  },
};

interface Seg { from: number; to: number; cls: string }

/** Runs of equal state; a sample holds until the next sample's time. */
function segs(values: { t: number; cls: string }[], end: number): Seg[] {
  const out: Seg[] = [];
  values.forEach((v, i) => {
    const to = values[i + 1]?.t ?? end;
    const last = out[out.length - 1];
    if (last && last.cls === v.cls) last.to = to;
    else out.push({ from: v.t, to, cls: v.cls });
  });
  return out;
}

const STATE_CLS: Record<string, string> = { r: 'kubelet-pod-running', w: 'kubelet-pod-waiting', t: 'kubelet-pod-terminated', '-': 'kubelet-pod-none' };

function Timeline({ view, locale }: { view: KubeletPodView; locale: Locale }) {
  const l = L[locale];
  const width = 680;
  const labelW = 64;
  const plotW = width - labelW - 8;
  const end = Math.max(1, view.summary.runS);
  const x = (t: number) => labelW + (Math.min(t, end) / end) * plotW;
  const rowH = 22;
  const names = view.pod.containers;
  const rows: { label: string; segs: Seg[] }[] = names.map((n, i) => ({ label: n.slice(0, 8), segs: segs(view.samples.map((s) => ({ t: s.t, cls: STATE_CLS[s.states[i] ?? '-']! })), end) }));
  rows.push({ label: l.rows.ready, segs: segs(view.samples.map((s) => ({ t: s.t, cls: s.ready ? 'kubelet-pod-ready' : 'kubelet-pod-notready' })), end) });
  if (view.service) rows.push({ label: l.rows.endpoint, segs: segs(view.samples.map((s) => ({ t: s.t, cls: s.endpoint === 'ready' ? 'kubelet-pod-ready' : 'kubelet-pod-notready' })), end) });
  const probeFails = view.events.filter((e) => e.kind === 'probe' && e.ok === false);
  const probeY = rows.length * rowH + 6;
  const height = probeY + 30;
  const ticks = [0, Math.round(end / 4), Math.round(end / 2), Math.round((3 * end) / 4), end];
  return (
    <svg class="kubelet-pod-timeline" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={l.chart(view)}>
      {rows.map((r, i) => (
        <g key={i}>
          <text x={0} y={i * rowH + 15}>{r.label}</text>
          {r.segs.map((s, k) => <rect key={k} x={x(s.from)} y={i * rowH + 3} width={Math.max(0.5, x(s.to) - x(s.from))} height={rowH - 6} class={s.cls} />)}
        </g>
      ))}
      {view.restarts.map((r, i) => {
        const row = names.indexOf(r.container);
        return <line key={i} x1={x(r.startedAt)} x2={x(r.startedAt)} y1={row * rowH + 1} y2={row * rowH + rowH - 1} class="kubelet-pod-restart" />;
      })}
      <text x={0} y={probeY + 8}>{l.rows.probes}</text>
      {probeFails.map((e, i) => <circle key={i} cx={x(e.t)} cy={probeY + 4} r={2.2} class="kubelet-pod-probefail" />)}
      <line x1={labelW} x2={labelW + plotW} y1={probeY + 12} y2={probeY + 12} class="kubelet-pod-axis" />
      {ticks.map((t, i) => <text key={i} x={x(t)} y={probeY + 25} text-anchor={i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle'}>{`${t}s`}</text>)}
    </svg>
  );
}

function EventRow({ e }: { e: KubeletEvent }) {
  return (
    <tr data-kind={e.kind} class={e.ok === false ? 'kubelet-pod-fail' : undefined}>
      <td>{e.t}</td>
      <td>{e.kind}{e.container ? ` (${e.container})` : ''}</td>
      <td>{e.text}</td>
    </tr>
  );
}

export function KubeletPodViewer({ view, locale }: { view: KubeletPodView; locale: Locale }) {
  const l = L[locale];
  const hidden = view.events.filter((e) => e.kind === 'probe' && e.ok === true).length;
  const shown = view.events.filter((e) => !(e.kind === 'probe' && e.ok === true));
  return (
    <div class="kubelet-pod-view">
      <p class="widget-caption" data-field="allocatable">{l.node(view)}</p>
      {view.pod.rejected && <p class="kubelet-pod-final" data-field="rejected" role="status">{l.rejected(view.pod.rejected)}</p>}
      <p class="widget-caption">{l.caption(view)}</p>
      <Timeline view={view} locale={locale} />
      <ul class="kubelet-pod-legend">
        {(['running', 'waiting', 'terminated', 'ready', 'notready'] as const).map((k) => (
          <li key={k}><span class={`kubelet-pod-swatch kubelet-pod-${k}`} aria-hidden="true" />{l.legend[k]}</li>
        ))}
      </ul>
      <p class="kubelet-pod-final" data-field="final">{l.final(view)}</p>
      <p class="widget-caption" data-field="backoff">{l.backoff(view)}</p>
      {view.restarts.length ? (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.restartsLabel}>
          <table class="widget-table" data-table="restarts">
            <thead>
              <tr>
                <th scope="col">{l.n}</th><th scope="col">{l.container}</th><th scope="col">{l.finished}</th><th scope="col">{l.cause}</th>
                <th scope="col">{l.exit}</th><th scope="col">{l.started}</th><th scope="col">{l.waited}</th>
              </tr>
            </thead>
            <tbody>
              {view.restarts.map((r) => (
                <tr key={`${r.container}-${r.restartCount}`} data-restart={r.restartCount}>
                  <th scope="row">{r.restartCount}</th><td>{r.container}</td><td>{r.finishedAt}</td><td>{l.causes[r.cause]}</td>
                  <td>{r.exitCode}</td><td data-field="started">{r.startedAt}</td><td data-field="waited">{r.waitedS}{r.waitedS >= 60 ? ` (${formatKubeletDuration(r.waitedS)})` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p class="widget-caption" data-field="no-restarts">{l.noRestarts}</p>}
      <details>
        <summary>{l.probes}</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.probesLabel}>
          <table class="widget-table">
            <thead><tr><th scope="col">{l.container}</th><th scope="col">{l.type}</th><th scope="col">{l.handler}</th><th scope="col">initialDelaySeconds</th><th scope="col">periodSeconds</th><th scope="col">timeoutSeconds</th><th scope="col">successThreshold</th><th scope="col">failureThreshold</th></tr></thead>
            <tbody>
              {view.probes.map((p, i) => (
                <tr key={i}><th scope="row">{p.container}</th><td>{p.type}</td><td><code>{p.handler}</code></td><td>{p.initialDelaySeconds}</td><td>{p.periodSeconds}</td><td>{p.timeoutSeconds}</td><td>{p.successThreshold}</td><td>{p.failureThreshold}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <details>
        <summary>{l.events(shown.length, hidden)}</summary>
        <div class="table-scroll kubelet-pod-events" tabIndex={0} role="region" aria-label={l.eventsLabel}>
          <table class="widget-table">
            <thead><tr><th scope="col">{l.t}</th><th scope="col">{l.kind}</th><th scope="col">{l.what}</th></tr></thead>
            <tbody>{shown.slice(0, MAX_EVENT_ROWS).map((e, i) => <EventRow key={i} e={e} />)}</tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

export default function KubeletPod(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<KubeletPodView>
      {...props}
      run={(texts, seed) => runKubeletPod({ pod: texts.pod ?? '', behaviour: texts.behaviour ?? '' }, { seed })}
      render={(view, locale) => <KubeletPodViewer view={view} locale={locale} />}
    />
  );
}
