/**
 * The runnable-snippet shell every widget uses: shows each file (highlighted
 * at build time), swaps in CodeMirror when the student starts editing, runs
 * the sim on Run or Ctrl/Cmd+Enter, shows results in a live region and
 * located errors in an alert (and inline at the line), keeps edits in
 * localStorage, restores them on reload, and shares them as a permalink.
 * Widget-specific code only supplies `run` (a pure sim call) and `render`.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ui, type Locale } from '../../i18n/ui.ts';
import { decodePermalink, encodePermalink, parseStored, sameState, storageKey, PERMALINK_PREFIX, type SnippetState } from './state.ts';
import type { EditorHandle, SnippetLang } from './editor.ts';

export interface SnippetFile {
  id: string;
  label: string;
  lang: SnippetLang;
  text: string;
  /** Build-time Shiki HTML of `text`. */
  html: string;
}

export interface LocatedError {
  code?: string;
  message: string;
  line?: number;
  column?: number;
  path?: string;
  /** Which file the error is in (defaults to the first). */
  file?: string;
}

export type RunOutcome<V> = { ok: true; value: V } | { ok: false; errors: LocatedError[] };

export interface ShellProps<V> {
  widgetId: string;
  locale: Locale;
  title: string;
  files: SnippetFile[];
  seed?: number;
  usesSeed?: boolean;
  run(texts: Record<string, string>, seed: number): RunOutcome<V>;
  render(view: V, locale: Locale): ComponentChildren;
}

type Notice = 'restored' | 'fromLink' | 'badLink' | 'linkCopied' | null;

function defaultsOf(files: SnippetFile[], seed: number): SnippetState {
  return { files: Object.fromEntries(files.map((f) => [f.id, f.text])), seed };
}

export function SnippetShell<V>(props: ShellProps<V>) {
  const t = ui[props.locale];
  const defaults = useMemo(() => defaultsOf(props.files, props.seed ?? 1), [props.files, props.seed]);
  const fileIds = useMemo(() => props.files.map((f) => f.id), [props.files]);
  const [texts, setTexts] = useState<Record<string, string>>(defaults.files);
  const [seed, setSeed] = useState<number>(defaults.seed);
  const [outcome, setOutcome] = useState<RunOutcome<V>>(() => props.run(defaults.files, defaults.seed));
  const [active, setActive] = useState<Record<string, boolean>>({});
  const [notice, setNotice] = useState<Notice>(null);
  const [link, setLink] = useState<string>('');
  const editors = useRef<Record<string, EditorHandle>>({});
  const hosts = useRef<Record<string, HTMLDivElement | null>>({});
  const rootRef = useRef<HTMLDivElement>(null);
  const textsRef = useRef(texts);
  textsRef.current = texts;
  const seedRef = useRef(seed);
  seedRef.current = seed;
  const hydrated = useRef(false);

  const errorsByFile = (o: RunOutcome<V>) => {
    const map: Record<string, LocatedError[]> = {};
    if (!o.ok) for (const e of o.errors) (map[e.file ?? fileIds[0]!] ??= []).push(e);
    return map;
  };

  const showInline = (o: RunOutcome<V>) => {
    const byFile = errorsByFile(o);
    for (const id of fileIds) editors.current[id]?.setErrors(byFile[id] ?? []);
  };

  const doRun = (nextTexts = textsRef.current, nextSeed = seedRef.current) => {
    const o = props.run(nextTexts, nextSeed);
    setOutcome(o);
    showInline(o);
    return o;
  };

  const persist = (state: SnippetState) => {
    try {
      const key = storageKey(location.pathname, props.widgetId);
      if (sameState(state, defaults)) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(state));
    } catch {
      /* storage may be unavailable (private mode); editing still works */
    }
  };

  const activate = async (id: string, focus: boolean) => {
    if (editors.current[id]) {
      if (focus) editors.current[id]!.view.focus();
      return;
    }
    const { createEditor } = await import('./editor.ts');
    const host = hosts.current[id];
    if (!host || editors.current[id]) return;
    // Show the host before mounting so CodeMirror can measure and take focus.
    host.hidden = false;
    const file = props.files.find((f) => f.id === id)!;
    editors.current[id] = createEditor({
      parent: host,
      text: textsRef.current[id] ?? file.text,
      lang: file.lang,
      label: t.editorLabel(file.label),
      onChange: (text) => {
        const next = { ...textsRef.current, [id]: text };
        textsRef.current = next;
        setTexts(next);
        persist({ files: next, seed: seedRef.current });
      },
      onRun: () => doRun(),
    });
    setActive((a) => ({ ...a, [id]: true }));
    const byFile = errorsByFile(props.run(textsRef.current, seedRef.current));
    editors.current[id]!.setErrors(byFile[id] ?? []);
    if (focus) editors.current[id]!.view.focus();
  };

  const apply = (state: SnippetState) => {
    const files = { ...defaults.files, ...state.files };
    textsRef.current = files;
    seedRef.current = state.seed;
    setTexts(files);
    setSeed(state.seed);
    for (const id of fileIds) {
      if (files[id] !== defaults.files[id]) void activate(id, false);
      editors.current[id]?.setText(files[id]!);
    }
    doRun(files, state.seed);
  };

  useEffect(() => {
    hydrated.current = true;
    rootRef.current?.setAttribute('data-hydrated', 'true');
    const link = decodePermalink(location.hash, fileIds);
    if (link && link.widgetId === props.widgetId) {
      if ('error' in link) setNotice('badLink');
      else {
        apply(link.state);
        setNotice('fromLink');
        rootRef.current?.scrollIntoView({ block: 'start' });
        return;
      }
    }
    let stored: SnippetState | null = null;
    try {
      stored = parseStored(localStorage.getItem(storageKey(location.pathname, props.widgetId)), fileIds);
    } catch {
      stored = null;
    }
    if (stored && !sameState({ files: { ...defaults.files, ...stored.files }, seed: stored.seed }, defaults)) {
      apply(stored);
      setNotice('restored');
    }
    return () => {
      for (const e of Object.values(editors.current)) e.destroy();
      editors.current = {};
    };
  }, []);

  const reset = () => {
    try {
      localStorage.removeItem(storageKey(location.pathname, props.widgetId));
    } catch {
      /* ignore */
    }
    if (location.hash.startsWith(`${PERMALINK_PREFIX}${encodeURIComponent(props.widgetId)}~`)) {
      history.replaceState(null, '', location.pathname + location.search);
    }
    textsRef.current = defaults.files;
    seedRef.current = defaults.seed;
    setTexts(defaults.files);
    setSeed(defaults.seed);
    for (const id of fileIds) editors.current[id]?.setText(defaults.files[id]!);
    persist(defaults);
    setLink('');
    setNotice(null);
    doRun(defaults.files, defaults.seed);
  };

  const copyLink = () => {
    const url = `${location.origin}${location.pathname}${location.search}${encodePermalink(props.widgetId, { files: textsRef.current, seed: seedRef.current })}`;
    history.replaceState(null, '', url);
    setLink(url);
    setNotice('linkCopied');
    navigator.clipboard?.writeText(url).catch(() => undefined);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      doRun();
    }
  };

  const errorLines: Record<string, Set<number>> = {};
  if (!outcome.ok) for (const [id, errs] of Object.entries(errorsByFile(outcome))) errorLines[id] = new Set(errs.map((e) => e.line ?? 0));
  const dirty = !sameState({ files: texts, seed }, defaults);
  const noticeText = notice ? t[notice] : '';

  return (
    <div class="snippet" data-snippet={props.widgetId} data-state={dirty ? 'edited' : 'original'} ref={rootRef} onKeyDown={onKeyDown}>
      <div class="snippet-head">
        <span class="snippet-title">{props.title}</span>
        <span class="snippet-badge">{dirty ? t.edited : t.original}</span>
      </div>
      {props.files.map((f) => {
        const edited = texts[f.id] !== f.text;
        return (
          <div class="snippet-file" key={f.id} data-file={f.id}>
            {props.files.length > 1 && <div class="snippet-file-label">{f.label}</div>}
            <div class="snippet-editor" ref={(el) => { hosts.current[f.id] = el; }} hidden={!active[f.id]} />
            {!active[f.id] && (
              <div
                class="snippet-static"
                role="textbox"
                aria-multiline="true"
                aria-label={t.editorLabel(f.label)}
                tabIndex={0}
                data-error-lines={[...(errorLines[f.id] ?? [])].join(' ')}
                onFocus={() => void activate(f.id, true)}
                onPointerDown={() => void activate(f.id, true)}
              >
                {edited ? <pre class="snippet-plain">{texts[f.id]}</pre> : <div dangerouslySetInnerHTML={{ __html: f.html }} />}
              </div>
            )}
          </div>
        );
      })}
      <div class="snippet-controls">
        <button type="button" class="snippet-run" onClick={() => doRun()}>{t.run}</button>
        <button type="button" onClick={reset}>{t.reset}</button>
        <button type="button" onClick={copyLink}>{t.copyLink}</button>
        {props.usesSeed && (
          <label class="snippet-seed">
            {t.seed}{' '}
            <input
              type="number"
              min={0}
              max={2147483647}
              value={seed}
              onInput={(e) => {
                const v = Number((e.target as HTMLInputElement).value);
                if (Number.isSafeInteger(v) && v >= 0) {
                  seedRef.current = v;
                  setSeed(v);
                  persist({ files: textsRef.current, seed: v });
                }
              }}
            />
          </label>
        )}
        <span class="snippet-hint">{t.runHint}</span>
      </div>
      {link && (
        <label class="snippet-link">
          {t.linkReady}
          <input type="text" readOnly value={link} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        </label>
      )}
      <p class="snippet-notice" aria-live="polite">{noticeText}</p>
      {outcome.ok ? (
        <div class="snippet-output" role="status" aria-label={t.result}>
          {props.render(outcome.value, props.locale)}
        </div>
      ) : (
        <div class="snippet-errors" role="alert">
          <p>{t.errorsTitle}</p>
          <ul>
            {outcome.errors.map((e, i) => (
              <li key={i} data-line={e.line ?? ''}>
                {props.files.length > 1 && e.file ? `${props.files.find((f) => f.id === e.file)?.label ?? e.file} · ` : ''}
                {e.line !== undefined ? `${t.lineCol(e.line, e.column)}: ` : ''}
                {e.path ? <code>{e.path}</code> : null}
                {e.path ? ' ' : ''}
                {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
