/**
 * Layer 3 "watch": a script of writes, watches, bookmarks and compactions;
 * one row per command with the etcd revision after it and, per watcher, the
 * events it received (ADDED / MODIFIED / DELETED / BOOKMARK from the
 * apiserver, PUT / DELETE from a raw etcd watch, ERROR for 410 Gone or a
 * compacted etcd watch). Layout and wiring only; the model is sim's runWatchScript.
 */
import { runWatchScript, type WatchScriptView } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const L = {
  ja: {
    caption: (v: WatchScriptView) => `最後の etcd revision は ${v.finalRevision}、コンパクション済みの revision は ${v.compactRevision}。列ごとに 1 つの watch が受け取ったイベント (種類 名前 @resourceVersion) を示します。`,
    tableLabel: 'コマンドごとの結果と各 watch のイベント', line: '行', command: 'コマンド', revision: 'revision', result: '結果',
    watchersLabel: 'watch の一覧', watcher: 'watch', target: '対象', from: '開始 resourceVersion', state: '状態', open: '開いている', closed: '閉じた',
    events: (n: number) => `${n} 件`, count: 'イベント数',
  },
  en: {
    caption: (v: WatchScriptView) => `The last etcd revision is ${v.finalRevision}; compacted up to revision ${v.compactRevision}. Each watch column shows the events it received (type name @resourceVersion).`,
    tableLabel: 'Result of each command and the events of each watch', line: 'Line', command: 'Command', revision: 'revision', result: 'Result',
    watchersLabel: 'Watches', watcher: 'Watch', target: 'Target', from: 'From resourceVersion', state: 'State', open: 'open', closed: 'closed',
    events: (n: number) => `${n} event${n === 1 ? '' : 's'}`, count: 'Events',
  },
};

const shortKey = (name: string) => name.replace(/^\/registry\/pods\/default\//, '…/');

export function WatchStreamView({ view, locale }: { view: WatchScriptView; locale: Locale }) {
  const l = L[locale];
  const ids = view.watchers.map((w) => w.id);
  const lines = [...new Set([...view.steps.map((s) => s.line), ...view.events.map((e) => e.line)])].sort((a, b) => a - b);
  const step = (line: number) => view.steps.find((s) => s.line === line);
  return (
    <div class="watch-stream-view">
      <p class="widget-caption">{l.caption(view)}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.tableLabel}>
        <table class="widget-table watch-stream-table">
          <thead>
            <tr>
              <th scope="col">{l.line}</th>
              <th scope="col">{l.command}</th>
              <th scope="col">{l.revision}</th>
              <th scope="col">{l.result}</th>
              {ids.map((id) => <th scope="col" key={id} data-watcher-col={id}>{id}</th>)}
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => {
              const s = step(line);
              return (
                <tr key={line} data-line={line} class={s?.code !== undefined && s.code >= 400 ? 'is-error' : ''}>
                  <td>{line}</td>
                  <th scope="row"><code>{s?.command ?? ''}</code></th>
                  <td data-field="revision">{s?.revision ?? ''}</td>
                  <td data-field="result">{s?.result ?? ''}</td>
                  {ids.map((id) => {
                    const evs = view.events.filter((e) => e.line === line && e.watcher === id);
                    return (
                      <td key={id} data-watcher={id}>
                        {evs.map((e, i) => (
                          <span key={i} class={`watch-stream-event is-${e.type.toLowerCase()}`} data-type={e.type} title={e.detail ?? ''}>
                            {e.type}{e.name ? ` ${shortKey(e.name)}` : ''}{e.resourceVersion ? ` @${e.resourceVersion}` : ''}
                            {e.type === 'ERROR' && e.detail ? <span class="watch-stream-detail"> {e.detail}</span> : null}
                          </span>
                        ))}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.watchersLabel}>
        <table class="widget-table">
          <thead>
            <tr><th scope="col">{l.watcher}</th><th scope="col">{l.target}</th><th scope="col">{l.from}</th><th scope="col">{l.state}</th><th scope="col">{l.count}</th></tr>
          </thead>
          <tbody>
            {view.watchers.map((w) => (
              <tr key={w.id} data-watch={w.id}>
                <th scope="row">{w.id}</th><td><code>{w.target}</code></td><td>{w.from}</td>
                <td data-field="state">{w.open ? l.open : l.closed}</td>
                <td data-field="count">{l.events(view.events.filter((e) => e.watcher === w.id).length)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export default function WatchStream(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<WatchScriptView>
      {...props}
      run={(texts, seed) => runWatchScript(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <WatchStreamView view={view} locale={locale} />}
    />
  );
}
