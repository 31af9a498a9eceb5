/**
 * Placeholder for the "memory-access" widget: replaced by the chapter that places it.
 * Widget.astro imports every widget statically (Astro needs that to hydrate
 * an island), so each planned kind has a file from the start.
 */
import type { Locale } from '../../i18n/ui.ts';
import type { SnippetFile } from '../shell/SnippetShell.tsx';

export default function MemoryAccess(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return <p>{props.title}</p>;
}
