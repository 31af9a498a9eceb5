import { describe, expect, it } from 'vitest';
import { deflateSync } from 'fflate';
import { encodePermalink, decodePermalink, parseStored, storageKey, sameState } from './state.ts';

describe('permalink', () => {
  it('round-trips edited files and the seed', () => {
    const state = { files: { main: '[web]\ncpu.max = 20000 100000\n# 日本語のコメント\n', extra: '' }, seed: 42 };
    const hash = encodePermalink('cpu-demo', state);
    expect(hash.startsWith('#sim=cpu-demo~')).toBe(true);
    const back = decodePermalink(hash, ['main', 'extra']);
    expect(back).toEqual({ widgetId: 'cpu-demo', state });
  });

  it('drops file ids the widget does not have and non-string values', () => {
    const hash = encodePermalink('w', { files: { main: 'a', evil: 'b' }, seed: 3 });
    const back = decodePermalink(hash, ['main']);
    expect(back && 'state' in back ? back.state.files : null).toEqual({ main: 'a' });
  });

  it('ignores hashes that are not permalinks and reports unreadable ones', () => {
    expect(decodePermalink('#cpu-weight', ['main'])).toBeNull();
    const bad = decodePermalink('#sim=w~!!!', ['main']);
    expect(bad && 'error' in bad).toBe(true);
    const garbage = decodePermalink('#sim=w~AAAA', ['main']);
    expect(garbage && 'error' in garbage).toBe(true);
  });

  it('refuses a payload that inflates past the limit (zip bomb)', () => {
    const huge = JSON.stringify({ v: 1, f: { main: 'x'.repeat(2_000_000) }, s: 1 });
    const bytes = deflateSync(new TextEncoder().encode(huge), { level: 9 });
    let bin = '';
    bytes.forEach((b) => (bin += String.fromCharCode(b)));
    const payload = btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const r = decodePermalink(`#sim=w~${payload}`, ['main']);
    expect(r && 'error' in r).toBe(true);
  });
});

describe('stored state', () => {
  it('keys by page and widget, ignoring a trailing slash', () => {
    expect(storageKey('/layer-1/cgroups-cpu/', 'a')).toBe(storageKey('/layer-1/cgroups-cpu', 'a'));
    expect(storageKey('/layer-1/x/', 'a')).not.toBe(storageKey('/en/layer-1/x/', 'a'));
  });

  it('parses only known files and survives garbage', () => {
    expect(parseStored('{"files":{"main":"t","x":"y"},"seed":5}', ['main'])).toEqual({ files: { main: 't' }, seed: 5 });
    expect(parseStored('not json', ['main'])).toBeNull();
    expect(parseStored('{"files":3}', ['main'])).toBeNull();
  });

  it('compares states by content', () => {
    expect(sameState({ files: { a: '1' }, seed: 1 }, { files: { a: '1' }, seed: 1 })).toBe(true);
    expect(sameState({ files: { a: '1' }, seed: 1 }, { files: { a: '2' }, seed: 1 })).toBe(false);
    expect(sameState({ files: { a: '1' }, seed: 1 }, { files: { a: '1' }, seed: 2 })).toBe(false);
  });
});
