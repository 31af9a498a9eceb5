/**
 * Layer 1 "Filesystems / OverlayFS": edit the image layers + mount line and
 * the commands run in the container, then see every layer side by side with
 * the merged view (one row per path, one column per layer, top layer first),
 * after any step, with the copy-up / whiteout / opaque events it caused.
 * Layout and wiring only; the model is sim's runOverlay (sim/src/kernel/overlayfs).
 */
import { useEffect, useState } from 'preact/hooks';
import { runOverlay, type OverlayView, type OverlaySnapshot, type LayerEntryView, type MergedEntryView, type OverlayStepView, type OvlEvent } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const L = {
  ja: {
    pick: '表示する時点', initial: 'マウント直後 (コマンド実行前)', after: (line: number, cmd: string) => `${line} 行目 ${cmd} の後`,
    mount: (v: OverlayView) => `lowerdir=${v.mount.lowerdir.join(':')} (左が上)、upperdir=${v.mount.upperdir ?? 'なし (読み取り専用)'}、workdir=${v.mount.workdir ?? 'なし'}`,
    tableLabel: 'パスごとの各レイヤーと合成ビュー', path: 'パス', merged: '合成ビュー (merged)',
    role: { lower: 'lowerdir', upper: 'upperdir', work: 'workdir', unused: '未使用' } as Record<string, string>,
    whiteout: 'whiteout (c 0/0)', opaque: 'opaque', dir: 'ディレクトリ', none: '', from: (l: string) => `${l} から`,
    events: 'この手順で起きたこと', noEvents: '(レイヤーの変更なし: 読むだけ、または失敗)', failed: '失敗', output: '出力',
    counts: (s: OverlaySnapshot) => `合成ビューのエントリ ${s.merged.length} 個、upperdir のエントリ ${s.layers.find((x) => x.role === 'upper')?.entries.length ?? 0} 個 (うち whiteout ${s.layers.find((x) => x.role === 'upper')?.entries.filter((e) => e.kind === 'whiteout').length ?? 0} 個)`,
    event: (e: OvlEvent) => ({
      'copy-up': `${e.path} を lowerdir の ${e.layer} から upperdir へコピー (workdir で作ってから rename)`,
      whiteout: `${e.path} は下の層にまだあるので、upperdir に whiteout (キャラクターデバイス 0/0) を作って隠す`,
      opaque: `${e.path} を opaque にする (trusted.overlay.opaque="y"): 下の層の古い中身は見えない`,
      redirect: `${e.path} に trusted.overlay.redirect を記録 (中身はコピーしない)`,
      create: `${e.path} を upperdir に作る`,
      remove: `${e.path} を upperdir から消す`,
      modify: `upperdir の ${e.path} に書き込む`,
      exdev: `${e.path} は lowerdir のディレクトリで redirect_dir が off なので rename(2) は EXDEV (mv はコピーして消す)`,
    })[e.kind] ?? e.text,
    work: (names: string[]) => `workdir の中身: ${names.join(', ') || '(空)'} (copy-up の一時ファイルはここで作られてから upperdir へ rename されます)`,
  },
  en: {
    pick: 'Show the state', initial: 'right after mount (before any command)', after: (line: number, cmd: string) => `after line ${line}: ${cmd}`,
    mount: (v: OverlayView) => `lowerdir=${v.mount.lowerdir.join(':')} (leftmost on top), upperdir=${v.mount.upperdir ?? 'none (read-only)'}, workdir=${v.mount.workdir ?? 'none'}`,
    tableLabel: 'Each layer and the merged view, per path', path: 'Path', merged: 'merged view',
    role: { lower: 'lowerdir', upper: 'upperdir', work: 'workdir', unused: 'unused' } as Record<string, string>,
    whiteout: 'whiteout (c 0/0)', opaque: 'opaque', dir: 'directory', none: '', from: (l: string) => `from ${l}`,
    events: 'What this step did', noEvents: '(no layer changed: a read, or a failure)', failed: 'failed', output: 'output',
    counts: (s: OverlaySnapshot) => `${s.merged.length} entries in the merged view, ${s.layers.find((x) => x.role === 'upper')?.entries.length ?? 0} in upperdir (${s.layers.find((x) => x.role === 'upper')?.entries.filter((e) => e.kind === 'whiteout').length ?? 0} of them whiteouts)`,
    event: (e: OvlEvent) => e.text,
    work: (names: string[]) => `workdir holds: ${names.join(', ') || '(empty)'} (copy-up builds each file here, then renames it into upperdir)`,
  },
};

type Locale2 = keyof typeof L;

function cellText(e: LayerEntryView | undefined, l: (typeof L)[Locale2]): string {
  if (!e) return l.none;
  if (e.kind === 'whiteout') return l.whiteout;
  if (e.kind === 'dir') return `${l.dir}${e.opaque ? ` (${l.opaque})` : ''}${e.redirect ? ` → ${e.redirect}` : ''}`;
  if (e.kind === 'symlink') return `→ ${e.data ?? ''}`;
  return JSON.stringify(e.data ?? '');
}

function mergedText(e: MergedEntryView | undefined, l: (typeof L)[Locale2]): string {
  if (!e) return l.none;
  if (e.kind === 'dir') return l.dir;
  if (e.kind === 'symlink') return `→ ${e.data ?? ''}`;
  return JSON.stringify(e.data ?? '');
}

function LayersTable({ snap, locale }: { snap: OverlaySnapshot; locale: Locale }) {
  const l = L[locale];
  const cols = snap.layers.filter((x) => x.role !== 'work');
  // Columns read top to bottom of the stack: merged, upper, then lowers from the top one.
  cols.sort((a, b) => (a.role === 'upper' ? -1 : b.role === 'upper' ? 1 : a.role === 'unused' ? 1 : b.role === 'unused' ? -1 : (a.lowerIndex ?? 0) - (b.lowerIndex ?? 0)));
  const paths = new Set<string>();
  for (const c of cols) for (const e of c.entries) paths.add(e.path);
  for (const m of snap.merged) paths.add(m.path);
  const sorted = [...paths].sort();
  const byLayer = new Map(cols.map((c) => [c.name, new Map(c.entries.map((e) => [e.path, e]))]));
  const merged = new Map(snap.merged.map((m) => [m.path, m]));
  const work = snap.layers.find((x) => x.role === 'work');
  return (
    <>
      <p class="widget-caption" data-field="counts">{l.counts(snap)}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.tableLabel}>
        <table class="widget-table ovl-table">
          <thead>
            <tr>
              <th scope="col">{l.path}</th>
              <th scope="col">{l.merged}</th>
              {cols.map((c) => <th scope="col" key={c.name}>{c.name} <span class="ovl-role">({l.role[c.role]})</span></th>)}
            </tr>
          </thead>
          <tbody>
            {sorted.map((p) => {
              const m = merged.get(p);
              return (
                <tr key={p} data-path={p} class={m ? undefined : 'ovl-hidden'}>
                  <th scope="row"><code>{p}</code></th>
                  <td data-layer="merged" data-from={m?.from}>
                    {mergedText(m, l)}{m ? <span class="ovl-from"> {l.from(m.from)}</span> : null}
                  </td>
                  {cols.map((c) => {
                    const e = byLayer.get(c.name)!.get(p);
                    return <td key={c.name} data-layer={c.name} class={e?.kind === 'whiteout' ? 'ovl-wh' : e?.opaque ? 'ovl-opaque' : undefined}>{cellText(e, l)}</td>;
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {work && <p class="widget-caption" data-field="work">{l.work(work.entries.map((e) => e.path))}</p>}
    </>
  );
}

function StepEvents({ step, locale }: { step: OverlayStepView; locale: Locale }) {
  const l = L[locale];
  return (
    <div class="ovl-step" data-step-line={step.line}>
      <p class="ovl-cmd"><code>{step.command}</code>{step.ok ? '' : ` — ${l.failed}: ${step.error?.code ?? ''} ${step.error?.message ?? ''}`}</p>
      {step.output !== undefined && <pre class="ovl-pre" data-field="output">{step.output}</pre>}
      <p class="widget-caption">{l.events}</p>
      {step.events.length === 0 ? <p class="widget-caption">{l.noEvents}</p> : (
        <ul class="ovl-events">
          {step.events.map((e, i) => <li key={i} data-event={e.kind}><span class={`ovl-kind ovl-kind-${e.kind}`}>{e.kind}</span> {l.event(e)}</li>)}
        </ul>
      )}
    </div>
  );
}

export function OverlayResult({ view, locale }: { view: OverlayView; locale: Locale }) {
  const l = L[locale];
  const last = view.steps.length - 1;
  const [picked, setPicked] = useState(last);
  useEffect(() => setPicked(view.steps.length - 1), [view]);
  const idx = Math.min(Math.max(picked, -1), last);
  const step = idx >= 0 ? view.steps[idx]! : null;
  return (
    <div class="ovl-view">
      <p class="widget-caption"><code>{l.mount(view)}</code></p>
      <label class="ovl-pick">
        {l.pick}{' '}
        <select value={String(idx)} onChange={(e) => setPicked(Number((e.currentTarget as HTMLSelectElement).value))}>
          <option value="-1">{l.initial}</option>
          {view.steps.map((s, i) => <option key={i} value={String(i)}>{l.after(s.line, s.command)}</option>)}
        </select>
      </label>
      {step && <StepEvents step={step} locale={locale} />}
      <LayersTable snap={step ? step.after : view.initial} locale={locale} />
    </div>
  );
}

export default function Overlayfs(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<OverlayView>
      {...props}
      run={(texts) => {
        const r = runOverlay(texts.layers ?? '', texts.ops ?? '');
        if (r.ok) return r;
        // Errors in the commands file carry path 'ops'; the shell places them by `file`.
        return { ok: false, errors: r.errors.map(({ path, ...e }) => ({ ...e, file: path === 'ops' ? 'ops' : 'layers' })) };
      }}
      render={(view, locale) => <OverlayResult view={view} locale={locale} />}
    />
  );
}
