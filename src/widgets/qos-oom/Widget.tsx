/**
 * Layer 1 "OOM killer and QoS classes": edit Pods' requests/limits (and the
 * node's memory capacity), see each Pod's QoS class, each container's
 * oom_score_adj, the oom_score its process would show, and the order a
 * node-wide OOM killer would take them in. Layout and wiring only; the model
 * is sim's runQosOom (GetPodQOS, GetContainerOOMScoreAdjust, oom_badness).
 */
import { runQosOom, parseNodeMemoryCapacity, type QosOomView, type QosOomProcess } from '@sim';
import { SnippetShell, type SnippetFile, type RunOutcome } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const MiB = 1048576;
const mib = (b: number) => `${Math.round(b / MiB)}Mi`;
const who = (p: { pod: string | null; container: string | null; comm: string }) => (p.pod ? `${p.pod}/${p.container}` : p.comm);

const L = {
  ja: {
    caption: (v: QosOomView) => `ノードのメモリ ${mib(v.memoryCapacityBytes)} (totalpages ${v.totalPages})。oom_score は 0〜2000 で、大きいほど先に殺されます。`,
    chart: (v: QosOomView) => 'プロセスごとの oom_score (0〜2000)。' + [...v.processes].sort((a, b) => b.oomScore - a.oomScore).map((p) => `${who(p)} ${p.oomScore}`).join('、') + '。',
    podsLabel: 'Pod ごとの QoS クラス', procsLabel: 'プロセスごとの oom_score_adj と oom_score',
    pod: 'Pod', qos: 'QoS クラス', containers: 'コンテナ (oom_score_adj)', defaulted: 'apiserver が補った値',
    proc: 'プロセス', pid: 'PID', kind: '種類', usage: '使用量', request: 'requests.memory', limit: 'limits.memory', rank: 'kill の順番',
    kinds: { container: 'コンテナ', sidecar: 'サイドカー', 'init-completed': '完了した init', host: 'ホストのデーモン' } as Record<string, string>,
    none: 'なし', host: 'ホストのデーモン',
    order: 'ノード全体の OOM で kill される順番', cgroupKills: 'ノードより先に自分の cgroup で OOM kill されるコンテナ',
    notes: 'メモ', path: 'cgroup のパス',
    overLimit: (k: { pod: string; container: string; usageBytes: number; memoryLimitBytes: number }) => `${k.pod}/${k.container}: 使用量 ${mib(k.usageBytes)} が limits.memory ${mib(k.memoryLimitBytes)} (memory.max) を超える`,
    neverKilled: 'kill されない (oom_score_adj -1000 または init)',
  },
  en: {
    caption: (v: QosOomView) => `Node memory ${mib(v.memoryCapacityBytes)} (totalpages ${v.totalPages}). oom_score runs from 0 to 2000; higher dies first.`,
    chart: (v: QosOomView) => 'oom_score per process (0 to 2000). ' + [...v.processes].sort((a, b) => b.oomScore - a.oomScore).map((p) => `${who(p)} ${p.oomScore}`).join('; ') + '.',
    podsLabel: 'QoS class per Pod', procsLabel: 'oom_score_adj and oom_score per process',
    pod: 'Pod', qos: 'QoS class', containers: 'Containers (oom_score_adj)', defaulted: 'Filled in by the apiserver',
    proc: 'Process', pid: 'PID', kind: 'Kind', usage: 'Usage', request: 'requests.memory', limit: 'limits.memory', rank: 'Kill order',
    kinds: { container: 'container', sidecar: 'sidecar', 'init-completed': 'finished init', host: 'host daemon' } as Record<string, string>,
    none: 'none', host: 'host daemon',
    order: 'Kill order in a node-wide OOM', cgroupKills: 'Containers their own cgroup OOM-kills before the node runs out',
    notes: 'Notes', path: 'cgroup path',
    overLimit: (k: { pod: string; container: string; usageBytes: number; memoryLimitBytes: number }) => `${k.pod}/${k.container}: usage ${mib(k.usageBytes)} exceeds limits.memory ${mib(k.memoryLimitBytes)} (memory.max)`,
    neverKilled: 'never killed (oom_score_adj -1000 or init)',
  },
};

function Chart({ view, locale }: { view: QosOomView; locale: Locale }) {
  const rows = [...view.processes].sort((a, b) => b.oomScore - a.oomScore);
  const rowH = 20;
  const labelW = 150;
  const width = 640;
  const plotW = width - labelW - 50;
  const height = rows.length * rowH + 24;
  const x = (s: number) => labelW + (s / 2000) * plotW;
  return (
    <svg class="qos-oom-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].chart(view)}>
      {[0, 666, 1000, 2000].map((m) => (
        <g key={m}>
          <line class="qos-oom-mark" x1={x(m)} x2={x(m)} y1={2} y2={rows.length * rowH + 4} />
          <text x={x(m)} y={height - 4} text-anchor="middle">{m}</text>
        </g>
      ))}
      {rows.map((p, i) => {
        const y0 = i * rowH + 4;
        return (
          <g key={p.hostPid}>
            <text x={labelW - 6} y={y0 + 13} text-anchor="end">{who(p)}</text>
            <rect x={labelW} y={y0 + 3} width={Math.max(1, x(p.oomScore) - labelW)} height={rowH - 6} class={`qos-oom-${p.qosClass ?? 'host'}`} />
            <text x={x(p.oomScore) + 4} y={y0 + 13}>{p.oomScore}</text>
          </g>
        );
      })}
      <line class="qos-oom-axis" x1={labelW} x2={labelW} y1={2} y2={rows.length * rowH + 4} />
    </svg>
  );
}

function rankOf(view: QosOomView, p: QosOomProcess): number | null {
  return view.killOrder.find((k) => k.hostPid === p.hostPid)?.rank ?? null;
}

export function QosOomView({ view, locale }: { view: QosOomView; locale: Locale }) {
  const l = L[locale];
  return (
    <div class="qos-oom-view">
      <p class="widget-caption" data-field="caption">{l.caption(view)}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.podsLabel}>
        <table class="widget-table">
          <thead>
            <tr><th scope="col">{l.pod}</th><th scope="col">{l.qos}</th><th scope="col">{l.containers}</th><th scope="col">{l.defaulted}</th></tr>
          </thead>
          <tbody>
            {view.pods.map((p) => (
              <tr key={p.name} data-pod={p.name}>
                <th scope="row">{p.name}</th>
                <td data-field="qos">{p.qosClass}</td>
                <td>{p.containers.map((c, i) => <span key={c.name}>{i ? ', ' : ''}<code>{c.name}</code> {c.oomScoreAdj}</span>)}</td>
                <td data-field="defaulted">{p.defaulted.length ? p.defaulted.map((d) => <code key={d}>{d} </code>) : l.none}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Chart view={view} locale={locale} />
      <ul class="qos-oom-legend">
        {(['Guaranteed', 'Burstable', 'BestEffort', 'host'] as const).map((k) => (
          <li key={k}><span class={`qos-oom-swatch qos-oom-${k}`} aria-hidden="true" />{k === 'host' ? l.host : k}</li>
        ))}
      </ul>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.procsLabel}>
        <table class="widget-table">
          <thead>
            <tr>
              <th scope="col">{l.proc}</th><th scope="col">{l.pid}</th><th scope="col">{l.kind}</th><th scope="col">{l.qos}</th>
              <th scope="col">{l.usage}</th><th scope="col">{l.request}</th><th scope="col">{l.limit}</th>
              <th scope="col">oom_score_adj</th><th scope="col">oom_score</th><th scope="col">{l.rank}</th>
            </tr>
          </thead>
          <tbody>
            {view.processes.map((p) => {
              const rank = rankOf(view, p);
              return (
                <tr key={p.hostPid} data-proc={who(p)}>
                  <th scope="row">{who(p)}</th>
                  <td>{p.hostPid}</td>
                  <td>{l.kinds[p.kind]}</td>
                  <td data-field="qos">{p.qosClass ?? '—'}</td>
                  <td>{mib(p.usageBytes)}</td>
                  <td>{p.kind === 'host' ? '—' : mib(p.memoryRequestBytes)}</td>
                  <td>{p.memoryLimitBytes === null ? '—' : mib(p.memoryLimitBytes)}</td>
                  <td data-field="adj">{p.oomScoreAdj}</td>
                  <td data-field="oom_score">{p.oomScore}</td>
                  <td data-field="rank">{p.exceedsLimit ? 'memory.max' : rank ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {view.cgroupOomKills.length > 0 && (
        <>
          <p class="widget-caption"><strong>{l.cgroupKills}</strong></p>
          <ul class="qos-oom-notes" data-field="cgroup-kills">
            {view.cgroupOomKills.map((k) => <li key={k.hostPid}>{l.overLimit(k)}</li>)}
          </ul>
        </>
      )}
      <p class="widget-caption"><strong>{l.order}</strong></p>
      <ol class="qos-oom-order" data-field="kill-order">
        {view.killOrder.map((k) => (
          <li key={k.hostPid} data-proc={who(k)}>{who(k)} (oom_score {k.oomScore})</li>
        ))}
      </ol>
      <details>
        <summary>{l.notes}</summary>
        <ul class="qos-oom-notes">
          {view.notes.map((n, i) => <li key={i}>{n}</li>)}
        </ul>
        <ul class="qos-oom-notes">
          {view.pods.map((p) => <li key={p.name} class="qos-oom-path">{p.name} — {l.path}: <code>{p.cgroupPath}</code></li>)}
        </ul>
      </details>
    </div>
  );
}

/** Node file first (its capacity feeds the policy), then the Pods; each error names its file. */
export function runQosOomFiles(texts: Record<string, string>, seed: number): RunOutcome<QosOomView> {
  const cap = parseNodeMemoryCapacity(texts.node ?? '');
  if (!cap.ok) return { ok: false, errors: cap.errors.map((e) => ({ ...e, file: 'node' })) };
  const r = runQosOom(texts.pods ?? '', { memoryCapacityBytes: cap.value, seed });
  if (!r.ok) return { ok: false, errors: r.errors.map((e) => ({ ...e, file: 'pods' })) };
  return r;
}

export default function QosOom(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<QosOomView>
      {...props}
      run={(texts, seed) => runQosOomFiles(texts, seed)}
      render={(view, locale) => <QosOomView view={view} locale={locale} />}
    />
  );
}
