/**
 * The real editor, loaded only when a student starts editing (dynamic import
 * from SnippetShell): CodeMirror 6 with line numbers, undo history, bracket
 * matching, search and the language of the snippet. Errors from a run are
 * shown inline as lint diagnostics at their line and column.
 */
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, StreamLanguage, bracketMatching, indentOnInput } from '@codemirror/language';
import { classHighlighter } from '@lezer/highlight';
import { setDiagnostics, lintGutter, type Diagnostic } from '@codemirror/lint';
import { yaml } from '@codemirror/lang-yaml';
import { json } from '@codemirror/lang-json';
import { properties } from '@codemirror/legacy-modes/mode/properties';
import { shell } from '@codemirror/legacy-modes/mode/shell';

export type SnippetLang = 'yaml' | 'json' | 'ini' | 'shell' | 'text';

function language(lang: SnippetLang): Extension {
  switch (lang) {
    case 'yaml':
      return yaml();
    case 'json':
      return json();
    case 'ini':
      return StreamLanguage.define(properties);
    case 'shell':
      return StreamLanguage.define(shell);
    default:
      return [];
  }
}

export interface EditorHandle {
  view: EditorView;
  setErrors(errors: { line?: number; column?: number; message: string }[]): void;
  setText(text: string): void;
  destroy(): void;
}

export interface EditorOptions {
  parent: HTMLElement;
  text: string;
  lang: SnippetLang;
  label: string;
  onChange(text: string): void;
  onRun(): void;
}

export function createEditor(opts: EditorOptions): EditorHandle {
  const runKeys = keymap.of([
    { key: 'Mod-Enter', run: () => (opts.onRun(), true), preventDefault: true },
  ]);
  const view = new EditorView({
    parent: opts.parent,
    state: EditorState.create({
      doc: opts.text,
      extensions: [
        runKeys,
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        bracketMatching(),
        indentOnInput(),
        lintGutter(),
        syntaxHighlighting(classHighlighter),
        language(opts.lang),
        // Tab indents; Escape then Tab leaves the editor (CodeMirror's documented escape hatch).
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': opts.label, 'aria-multiline': 'true' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) opts.onChange(u.state.doc.toString());
        }),
        EditorView.lineWrapping,
      ],
    }),
  });
  return {
    view,
    setErrors(errors) {
      const doc = view.state.doc;
      const diagnostics: Diagnostic[] = errors
        .filter((e) => e.line !== undefined && e.line >= 1 && e.line <= doc.lines)
        .map((e) => {
          const line = doc.line(e.line!);
          const from = Math.min(line.from + Math.max(0, (e.column ?? 1) - 1), line.to);
          return { from, to: Math.max(from, line.to), severity: 'error', message: e.message };
        });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    destroy() {
      view.destroy();
    },
  };
}
