/**
 * UI strings for the book's own components and widgets, in both locales.
 * Japanese is the source; English mirrors it. Widgets receive `locale` from
 * the page and look strings up here, so every label is bilingual from day one.
 */
export type Locale = 'ja' | 'en';

export const ui = {
  ja: {
    run: '実行',
    reset: 'リセット',
    copyLink: 'リンクをコピー',
    linkCopied: 'リンクをコピーしました',
    linkReady: '共有リンク',
    editorLabel: (name: string) => `${name} を編集`,
    seed: 'シード',
    running: '実行中…',
    result: '結果',
    errorsTitle: '入力にエラーがあります',
    lineCol: (line: number, col?: number) => (col ? `${line} 行 ${col} 列` : `${line} 行`),
    restored: '前回の編集を復元しました',
    fromLink: 'リンクの内容を読み込みました',
    edited: '編集済み',
    original: '元のまま',
    runHint: 'Ctrl+Enter (Mac は ⌘+Enter) でも実行できます',
    badLink: 'リンクの内容を読めませんでした。元のスニペットを表示しています',
  },
  en: {
    run: 'Run',
    reset: 'Reset',
    copyLink: 'Copy link',
    linkCopied: 'Link copied',
    linkReady: 'Share link',
    editorLabel: (name: string) => `Edit ${name}`,
    seed: 'Seed',
    running: 'Running…',
    result: 'Result',
    errorsTitle: 'The input has errors',
    lineCol: (line: number, col?: number) => (col ? `line ${line}, column ${col}` : `line ${line}`),
    restored: 'Restored your previous edit',
    fromLink: 'Loaded the state from the link',
    edited: 'edited',
    original: 'original',
    runHint: 'Ctrl+Enter (⌘+Enter on a Mac) also runs it',
    badLink: 'Could not read the link; showing the original snippet',
  },
} as const;

export type UiStrings = (typeof ui)[Locale];

export function localeFromPath(pathname: string): Locale {
  return pathname === '/en' || pathname.startsWith('/en/') ? 'en' : 'ja';
}
