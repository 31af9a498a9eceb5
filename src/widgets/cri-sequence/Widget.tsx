/**
 * Layer 2 "CRI": edit a Pod manifest; the kubelet's CRI calls to containerd
 * run in order (start, status relist, teardown) and the student steps through
 * them, seeing what happened below each call (images, snapshotter, CNI, shim,
 * runc, kernel) and the resulting containers. Layout and wiring only; the
 * model is sim's runCriSequence.
 */
import { useEffect, useState } from 'preact/hooks';
import { runCriSequence, type CriSequenceView, type CriPhase } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const L = {
  ja: {
    pod: (v: CriSequenceView) => `Pod ${v.pod.namespace}/${v.pod.name}（QoS ${v.pod.qos}、Pod IP ${v.pod.podIP}）。CRI 呼び出し ${v.calls.length} 回。`,
    phase: { start: '起動', status: '状態の確認 (PLEG)', teardown: '削除' } as Record<CriPhase, string>,
    callsLabel: 'CRI 呼び出しの一覧', prev: '前の呼び出し', next: '次の呼び出し',
    stepOf: (i: number, n: number) => `${i} / ${n}`,
    request: 'リクエスト', response: 'レスポンス', failed: '失敗',
    below: (n: number) => `この呼び出しの下で起きたこと（${n} 件）`, belowLabel: '下の層で起きたこと', layer: '層', what: '内容', nothing: '下の層では何も起きません（containerd が自分の記録から答えます）。',
    containers: '起動直後のコンテナ', containersLabel: 'コンテナごとのプロセスと名前空間',
    name: '名前', image: 'イメージ', hostPid: 'ホストの PID', innerPid: 'コンテナ内の PID', parent: '親', newNs: '新しく作った名前空間', joinedNs: '参加した名前空間',
  },
  en: {
    pod: (v: CriSequenceView) => `Pod ${v.pod.namespace}/${v.pod.name} (QoS ${v.pod.qos}, pod IP ${v.pod.podIP}). ${v.calls.length} CRI calls.`,
    phase: { start: 'start', status: 'status check (PLEG)', teardown: 'deletion' } as Record<CriPhase, string>,
    callsLabel: 'List of CRI calls', prev: 'Previous call', next: 'Next call',
    stepOf: (i: number, n: number) => `${i} of ${n}`,
    request: 'Request', response: 'Response', failed: 'failed',
    below: (n: number) => `What happened below this call (${n})`, belowLabel: 'What happened in the layers below', layer: 'Layer', what: 'What', nothing: 'Nothing happens below: containerd answers from its own records.',
    containers: 'Containers right after the start', containersLabel: 'Process and namespaces per container',
    name: 'Name', image: 'Image', hostPid: 'Host PID', innerPid: 'PID inside', parent: 'Parent', newNs: 'New namespaces', joinedNs: 'Joined namespaces',
  },
};

export function CriSequenceOutput({ view, locale }: { view: CriSequenceView; locale: Locale }) {
  const l = L[locale];
  const [index, setIndex] = useState(0);
  useEffect(() => setIndex(0), [view]);
  const i = Math.min(index, view.calls.length - 1);
  const call = view.calls[i]!;
  return (
    <div class="cri-sequence-view">
      <p class="widget-caption" data-field="pod-summary">{l.pod(view)}</p>
      <ol class="cri-sequence-calls" aria-label={l.callsLabel}>
        {view.calls.map((c, k) => (
          <li key={c.seq} data-method={c.method} data-phase={view.phases[k]} data-ok={String(c.ok)} class={k === i ? 'cri-sequence-current' : ''}>
            <button type="button" aria-current={k === i ? 'step' : undefined} onClick={() => setIndex(k)}>
              <span class="cri-sequence-phase">{l.phase[view.phases[k]!]}</span> <code>{c.method}</code>{c.ok ? '' : ` (${l.failed})`}
            </button>
          </li>
        ))}
      </ol>
      <div class="cri-sequence-nav">
        <button type="button" onClick={() => setIndex(Math.max(0, i - 1))} disabled={i === 0}>{l.prev}</button>
        <span data-field="step" aria-live="polite">{l.stepOf(i + 1, view.calls.length)}: <code>{call.method}</code></span>
        <button type="button" onClick={() => setIndex(Math.min(view.calls.length - 1, i + 1))} disabled={i === view.calls.length - 1}>{l.next}</button>
      </div>
      <div class="cri-sequence-detail" data-current-method={call.method}>
        <p><strong>{l.request}</strong>: <code data-field="request">{call.method}({call.request})</code></p>
        <p><strong>{l.response}</strong>: <code data-field="response">{call.response}</code></p>
        {call.below.length ? (
          <details open>
            <summary>{l.below(call.below.length)}</summary>
            <div class="table-scroll" tabIndex={0} role="region" aria-label={l.belowLabel}>
              <table class="widget-table">
                <thead><tr><th scope="col">{l.layer}</th><th scope="col">{l.what}</th></tr></thead>
                <tbody>
                  {call.below.map((b, k) => (
                    <tr key={k} data-layer={b.layer}><th scope="row">{b.layer}</th><td class="cri-sequence-effect">{b.text}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        ) : <p class="widget-caption">{l.nothing}</p>}
      </div>
      <h4 class="cri-sequence-heading">{l.containers}</h4>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.containersLabel}>
        <table class="widget-table">
          <thead>
            <tr>
              <th scope="col">{l.name}</th><th scope="col">{l.image}</th><th scope="col">{l.hostPid}</th><th scope="col">{l.innerPid}</th>
              <th scope="col">{l.parent}</th><th scope="col">{l.newNs}</th><th scope="col">{l.joinedNs}</th>
            </tr>
          </thead>
          <tbody>
            {view.containers.map((c) => (
              <tr key={c.id} data-container={c.name}>
                <th scope="row">{c.name}</th>
                <td><code>{c.image}</code></td>
                <td data-field="host-pid">{c.process.host.pid}</td>
                <td data-field="inner-pid">{c.process.inside.pid}</td>
                <td>{c.process.host.ppid} ({c.process.host.parentComm})</td>
                <td data-field="new-ns">{c.process.host.namespaces.filter((n) => n.origin === 'new').map((n) => n.kind).join(', ')}</td>
                <td data-field="joined-ns">{c.process.host.namespaces.filter((n) => n.origin === 'joined').map((n) => n.kind).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export default function CriSequence(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<CriSequenceView>
      {...props}
      run={(texts, seed) => runCriSequence(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <CriSequenceOutput view={view} locale={locale} />}
    />
  );
}
