/**
 * Stable, ASCII section anchors teachers can paste: a heading written as
 *   ## cgroup v2 の階層 {/*#hierarchy*\/}
 * gets id="hierarchy" (the MDX comment is removed). Astro keeps an existing
 * id when it collects headings, so the table of contents links to it too.
 * Headings without a marker keep Starlight's generated slug.
 */
import { visit } from 'unist-util-visit';

const MARK = /^\s*\/\*\s*#([a-z0-9][a-z0-9-]*)\s*\*\/\s*$/;

export function remarkHeadingIds() {
  return (tree, file) => {
    const seen = new Set();
    visit(tree, 'heading', (node) => {
      const i = node.children.findIndex((c) => c.type === 'mdxTextExpression' && MARK.test(c.value));
      if (i < 0) return;
      const id = MARK.exec(node.children[i].value)[1];
      if (seen.has(id)) throw new Error(`Duplicate heading id #${id} in ${file.path}`);
      seen.add(id);
      node.children.splice(i, 1);
      const last = node.children[node.children.length - 1];
      if (last && last.type === 'text') last.value = last.value.replace(/\s+$/, '');
      node.data = { ...(node.data ?? {}), hProperties: { ...(node.data?.hProperties ?? {}), id } };
    });
  };
}
