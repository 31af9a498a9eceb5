/**
 * Layer 2 "The shim": a script starts a pod, stops and starts containerd,
 * lets a container exit while containerd is away, and lists containers
 * through CRI. Each command shows what happened, the process tree (who is
 * whose parent) and what each shim holds. Layout and wiring only; the model
 * is sim's runShimRestart.
 */
import { useEffect, useState } from 'preact/hooks';
import { runShimRestart, type ShimRestartView, type ShimRestartStep } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const L = {
  ja: {
    stepsLabel: 'シナリオの各行', prev: '前の行', next: '次の行', stepOf: (i: number, n: number) => `${i} / ${n}`,
    line: (n: number) => `${n} 行目`, failed: '失敗', containerd: (pid: number | null) => (pid === null ? 'containerd は停止中' : `containerd は PID ${pid} で動作中`),
    notes: '起きたこと', procs: 'プロセスツリー', procsLabel: 'この時点のプロセス', pid: 'PID', ppid: '親 PID', comm: 'comm', role: '役割',
    list: 'crictl ps -a の出力', listLabel: 'CRI から見たコンテナ', name: '名前', pod: 'Pod', state: '状態', exitCode: '終了コード',
    shims: 'shim が持っているタスク', shimsLabel: 'shim ごとのタスク', task: 'タスク', status: '状態', exit: '終了ステータス', shim: 'shim',
  },
  en: {
    stepsLabel: 'Lines of the scenario', prev: 'Previous line', next: 'Next line', stepOf: (i: number, n: number) => `${i} of ${n}`,
    line: (n: number) => `line ${n}`, failed: 'failed', containerd: (pid: number | null) => (pid === null ? 'containerd is stopped' : `containerd runs as PID ${pid}`),
    notes: 'What happened', procs: 'Process tree', procsLabel: 'Processes at this point', pid: 'PID', ppid: 'Parent PID', comm: 'comm', role: 'Role',
    list: 'Output of crictl ps -a', listLabel: 'Containers seen through CRI', name: 'Name', pod: 'Pod', state: 'State', exitCode: 'Exit code',
    shims: 'Tasks each shim holds', shimsLabel: 'Tasks per shim', task: 'Task', status: 'Status', exit: 'Exit status', shim: 'shim',
  },
};

function Step({ s, locale }: { s: ShimRestartStep; locale: Locale }) {
  const l = L[locale];
  return (
    <div class="shim-restart-step" data-line={s.line} data-ok={String(s.ok)}>
      <p class="shim-restart-command"><code>{s.command}</code> — {l.line(s.line)}{s.ok ? '' : ` (${l.failed})`}</p>
      <p class="widget-caption" data-field="containerd">{l.containerd(s.containerdPid)}</p>
      <h4>{l.notes}</h4>
      <ul class="shim-restart-notes">{s.notes.map((n, i) => <li key={i}>{n}</li>)}</ul>
      {s.containers && (
        <>
          <h4>{l.list}</h4>
          <div class="table-scroll" tabIndex={0} role="region" aria-label={l.listLabel}>
            <table class="widget-table">
              <thead><tr><th scope="col">{l.name}</th><th scope="col">{l.pod}</th><th scope="col">{l.state}</th><th scope="col">{l.pid}</th><th scope="col">{l.exitCode}</th></tr></thead>
              <tbody>
                {s.containers.map((c) => (
                  <tr key={c.name} data-container={c.name}><th scope="row">{c.name}</th><td>{c.pod}</td><td data-field="state">{c.state}</td><td>{c.pid}</td><td data-field="exit-code">{c.exitCode}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h4>{l.procs}</h4>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.procsLabel}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.pid}</th><th scope="col">{l.ppid}</th><th scope="col">{l.comm}</th><th scope="col">{l.role}</th></tr></thead>
          <tbody>
            {s.processes.map((p) => (
              <tr key={p.pid} data-pid={p.pid} data-role={p.role}><td>{p.pid}</td><td data-field="ppid">{p.ppid}</td><td><code>{p.comm}</code></td><th scope="row">{p.role}</th></tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>{l.shims}</h4>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.shimsLabel}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.shim}</th><th scope="col">{l.task}</th><th scope="col">{l.pid}</th><th scope="col">{l.status}</th><th scope="col">{l.exit}</th></tr></thead>
          <tbody>
            {s.shims.flatMap((sh) => sh.tasks.map((t) => (
              <tr key={`${sh.pid}-${t.name}`} data-task={t.name}><td>{sh.pid} ({sh.pod})</td><th scope="row">{t.name}</th><td>{t.pid}</td><td data-field="status">{t.status}</td><td data-field="exit-status">{t.exitStatus ?? ''}</td></tr>
            )))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ShimRestartOutput({ view, locale }: { view: ShimRestartView; locale: Locale }) {
  const l = L[locale];
  const [index, setIndex] = useState(view.steps.length - 1);
  useEffect(() => setIndex(view.steps.length - 1), [view]);
  if (!view.steps.length) return <p class="widget-caption">—</p>;
  const i = Math.max(0, Math.min(index, view.steps.length - 1));
  return (
    <div class="shim-restart-view">
      <ol class="shim-restart-lines" aria-label={l.stepsLabel}>
        {view.steps.map((s, k) => (
          <li key={s.line} class={k === i ? 'shim-restart-current' : ''} data-ok={String(s.ok)}>
            <button type="button" aria-current={k === i ? 'step' : undefined} onClick={() => setIndex(k)}><code>{s.command}</code>{s.ok ? '' : ` ✗`}</button>
          </li>
        ))}
      </ol>
      <div class="shim-restart-nav">
        <button type="button" onClick={() => setIndex(Math.max(0, i - 1))} disabled={i === 0}>{l.prev}</button>
        <span data-field="step" aria-live="polite">{l.stepOf(i + 1, view.steps.length)}</span>
        <button type="button" onClick={() => setIndex(Math.min(view.steps.length - 1, i + 1))} disabled={i === view.steps.length - 1}>{l.next}</button>
      </div>
      <Step s={view.steps[i]!} locale={locale} />
    </div>
  );
}

export default function ShimRestart(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<ShimRestartView>
      {...props}
      run={(texts, seed) => runShimRestart(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <ShimRestartOutput view={view} locale={locale} />}
    />
  );
}
