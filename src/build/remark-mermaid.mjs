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
  return svg.replace(/@import url\([^)]*\);?/g, '');
}

export function remarkMermaid() {
  return (tree, file) => {
    visit(tree, 'code', (node, index, parent) => {
      if (node.lang !== 'mermaid' || !parent || index === undefined) return;
      let svg;
      try {
        svg = renderDiagram(node.value);
      } catch (e) {
        const where = node.position ? `${file.path}:${node.position.start.line}` : file.path;
        throw new Error(`Mermaid diagram at ${where} failed to render: ${e instanceof Error ? e.message : e}`);
      }
      const title = (node.meta ?? '').match(/title="([^"]*)"/)?.[1] ?? '';
      parent.children[index] = {
        type: 'html',
        value: `<figure class="diagram" role="group"${title ? ` aria-label="${title.replace(/"/g, '&quot;')}"` : ''}>${svg.replace('<svg', '<svg role="img"' + (title ? ` aria-label="${title.replace(/"/g, '&quot;')}"` : ''))}${title ? `<figcaption>${title}</figcaption>` : ''}</figure>`,
      };
    });
  };
}
