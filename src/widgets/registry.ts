/**
 * Every widget kind the chapters can place, with its default files (taken
 * from the sim's exported DEFAULT texts so prose, widget and tests share one
 * source) and its title per locale. Widget.astro reads this at build time.
 *
 * A widget lives in its own folder, src/widgets/<kind>/, with `spec.ts`
 * (exporting `spec: WidgetSpec`) and `Widget.tsx` (the island). The specs are
 * collected here by file name, so adding a widget touches no shared file
 * except its one line in Widget.astro.
 */
import { DEFAULT_CGROUP_CPU, DEFAULT_RAFT_SCRIPT } from '@sim';
import type { SnippetLang } from './shell/editor.ts';

export interface WidgetFileSpec {
  id: string;
  label: { ja: string; en: string };
  lang: SnippetLang;
  text: string;
}

export interface WidgetSpec {
  title: { ja: string; en: string };
  files: WidgetFileSpec[];
  seed?: number;
  usesSeed?: boolean;
}

const builtIn = {
  'cgroup-cpu': {
    title: { ja: 'cgroup v2 の CPU 制御', en: 'cgroup v2 CPU control' },
    files: [{ id: 'cgroup', label: { ja: 'cgroup ファイル', en: 'cgroup files' }, lang: 'ini', text: DEFAULT_CGROUP_CPU }],
  },
  raft: {
    title: { ja: 'etcd の Raft: 選挙・複製・障害', en: 'Raft in etcd: elections, replication, failures' },
    files: [{ id: 'script', label: { ja: 'シナリオ', en: 'scenario' }, lang: 'text', text: DEFAULT_RAFT_SCRIPT }],
    usesSeed: true,
    seed: 1,
  },
} satisfies Record<string, WidgetSpec>;

const folderSpecs = Object.fromEntries(
  Object.entries(import.meta.glob<{ spec: WidgetSpec }>('./*/spec.ts', { eager: true })).map(([path, mod]) => [
    path.slice(2, -'/spec.ts'.length),
    mod.spec,
  ]),
);

export const widgets: Record<string, WidgetSpec> = { ...builtIn, ...folderSpecs };

export type WidgetKind = string;
