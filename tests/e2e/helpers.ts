import { expect, type Locator, type Page } from '@playwright/test';

/** The snippet root for a widget id (data-snippet contract). */
export function snippet(page: Page, id: string): Locator {
  return page.locator(`[data-snippet="${id}"]`);
}

/** Waits until the island has hydrated (the shell marks its root). */
export async function hydrated(root: Locator): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true');
}

/** Opens the real editor for the first file and replaces its whole text. */
export async function replaceText(page: Page, root: Locator, text: string): Promise<void> {
  await hydrated(root);
  await root.getByRole('textbox').first().click();
  const editor = root.locator('.cm-content').first();
  await expect(editor).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

/** Edits one `key = value` line in the editor by rewriting the whole text. */
export async function editLine(page: Page, root: Locator, from: string, to: string): Promise<string> {
  await hydrated(root);
  await root.getByRole('textbox').first().click();
  const editor = root.locator('.cm-content').first();
  await expect(editor).toBeFocused();
  const current = await editorText(root);
  if (!current.includes(from)) throw new Error(`snippet does not contain ${from}`);
  const next = current.replace(from, to);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(next);
  return next;
}

export async function editorText(root: Locator): Promise<string> {
  return root.locator('.cm-content').first().evaluate((el) => {
    const view = (el as HTMLElement & { cmView?: { view: { state: { doc: { toString(): string } } } } }).cmView?.view;
    if (view) return view.state.doc.toString();
    return [...el.querySelectorAll('.cm-line')].map((l) => l.textContent ?? '').join('\n');
  });
}

/**
 * Waits for the island, and with `edit` also opens the lazily loaded editor.
 * Generous timeouts: CI runs on two cores and the editor module loads on demand.
 */
export async function ready(root: Locator, edit = false): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true', { timeout: 60_000 });
  if (edit) await openEditor(root);
}

/** Clicks the first file's static view and waits for CodeMirror to replace it. */
export async function openEditor(root: Locator): Promise<void> {
  await root.getByRole('textbox').first().click();
  await expect(root.locator('.cm-content').first()).toBeVisible({ timeout: 60_000 });
}
