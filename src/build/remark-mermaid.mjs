/**
 * Build-time Mermaid: every ```mermaid fence in Markdown/MDX becomes a static
 * SVG (beautiful-mermaid, pure TypeScript, no browser), so no Mermaid runtime
 * ships to the reader. Colours are Starlight's CSS variables, so the same SVG
 * reads well in the light and dark themes. beautiful-mermaid's Google Fonts
 * @import is stripped: the book never fetches from outside.
 */
import { renderMermaidSVG } from 'beautiful-mermaid';
import { visit } from 'unist-util-visit';

const FONT = 'system-ui, -apple-system, "Hiragino Sans", "Noto Sans JP", "Yu Gothic UI", sans-serif';

export function renderDiagram(source) {
  const svg = renderMermaidSVG(source, {
    bg: 'var(--sl-color-bg)',
    fg: 'var(--sl-color-white)',
    accent: 'var(--sl-color-accent)',
    line: 'var(--sl-color-gray-3)',
    font: FONT,
    transparent: true,
  });
  // The <style> block (Google Fonts @import, font-family, derived colour
  // variables) is dropped: MDX would turn it into an attribute, and the book
  // never fetches fonts. Its rules live in src/styles/book.css instead.
  return svg.replace(/<style[\s\S]*?<\/style>/g, '');
}

/** Prefixes every id in one SVG (markers, gradients) so several diagrams can share a page. */
function scopeIds(svg, prefix) {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  let out = svg;
  for (const id of new Set(ids)) {
    const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out
      .replace(new RegExp(`(\\sid=")${esc}(")`, 'g'), `$1${prefix}-${id}$2`)
      .replace(new RegExp(`url\\(#${esc}\\)`, 'g'), `url(#${prefix}-${id})`)
      .replace(new RegExp(`(href=")#${esc}(")`, 'g'), `$1#${prefix}-${id}$2`);
  }
  return out;
}

export function remarkMermaid() {
  return (tree, file) => {
    let n = 0;
    visit(tree, 'code', (node, index, parent) => {
      if (node.lang !== 'mermaid' || !parent || index === undefined) return;
      let svg;
      try {
        svg = scopeIds(renderDiagram(node.value), `d${++n}`);
      } catch (e) {
        const where = node.position ? `${file.path}:${node.position.start.line}` : file.path;
        throw new Error(`Mermaid diagram at ${where} failed to render: ${e instanceof Error ? e.message : e}`);
      }
      const title = (node.meta ?? '').match(/title="([^"]*)"/)?.[1] ?? '';
      parent.children[index] = {
        type: 'html',
        value: `<figure class="diagram"${title ? ` aria-label="${title.replace(/"/g, '&quot;')}"` : ''}>${svg.replace('<svg', '<svg role="img"' + (title ? ` aria-label="${title.replace(/"/g, '&quot;')}"` : ''))}${title ? `<figcaption>${title}</figcaption>` : ''}</figure>`,
      };
    });
  };
}
