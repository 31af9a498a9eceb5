/**
 * Layer 2 "Images": pull images into one node's content store, one command per
 * line; each pull shows the blobs it fetched (index, manifest, config, layers)
 * with their sha256 digests, which were downloaded and which already existed,
 * the snapshots (chain IDs) they unpacked into, and the overlay mount a
 * container of that image would get. Layout and wiring only; the model is
 * sim's runImagePull.
 */
import { runImagePull, type ImagePullView, type ImagePullStep } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const short = (d: string) => d.replace('sha256:', '').slice(0, 12);

const L = {
  ja: {
    heading: (p: ImagePullStep) => `${p.line} 行目: pull ${p.ref}（${p.platform}）`,
    summary: (p: ImagePullStep) => `ダウンロード ${p.downloadedBytes} バイト、再利用 ${p.reusedBytes} バイト`,
    digests: 'ダイジェスト', index: 'index', manifest: 'manifest', imageId: 'image ID (config)',
    blobsLabel: (r: string) => `${r} の blob`, kind: '種類', digest: 'ダイジェスト', size: 'サイズ (バイト)', status: 'content store',
    status_downloaded: 'ダウンロード', status_exists: '既にある',
    layersLabel: (r: string) => `${r} のレイヤーとスナップショット`, diffId: 'diffID（展開後の tar）', chainId: 'chain ID', snapshot: 'スナップショット', unpack: '展開',
    unpack_unpacked: '新しく展開', unpack_exists: '既にある',
    mount: 'このイメージのコンテナに用意される rootfs のマウント',
    totals: (v: ImagePullView) => `合計: ダウンロード ${v.totals.downloadedBytes} バイト、再利用 ${v.totals.reusedBytes} バイト。content store に blob ${v.totals.blobs} 個（${v.totals.contentStoreBytes} バイト）、コミット済みスナップショット ${v.totals.snapshots} 個。`,
  },
  en: {
    heading: (p: ImagePullStep) => `Line ${p.line}: pull ${p.ref} (${p.platform})`,
    summary: (p: ImagePullStep) => `downloaded ${p.downloadedBytes} bytes, reused ${p.reusedBytes} bytes`,
    digests: 'Digests', index: 'index', manifest: 'manifest', imageId: 'image ID (config)',
    blobsLabel: (r: string) => `Blobs of ${r}`, kind: 'Kind', digest: 'Digest', size: 'Size (bytes)', status: 'Content store',
    status_downloaded: 'downloaded', status_exists: 'already there',
    layersLabel: (r: string) => `Layers and snapshots of ${r}`, diffId: 'diffID (uncompressed tar)', chainId: 'chain ID', snapshot: 'Snapshot', unpack: 'Unpack',
    unpack_unpacked: 'unpacked now', unpack_exists: 'already there',
    mount: 'The rootfs mount a container of this image gets',
    totals: (v: ImagePullView) => `Total: downloaded ${v.totals.downloadedBytes} bytes, reused ${v.totals.reusedBytes} bytes. The content store holds ${v.totals.blobs} blobs (${v.totals.contentStoreBytes} bytes); ${v.totals.snapshots} committed snapshots.`,
  },
};

function Pull({ p, locale }: { p: ImagePullStep; locale: Locale }) {
  const l = L[locale];
  return (
    <section class="image-pull-step" data-pull-line={p.line} data-ref={p.ref}>
      <h4>{l.heading(p)}</h4>
      <p class="widget-caption" data-field="bytes">{l.summary(p)}</p>
      <dl class="image-pull-digests">
        {p.indexDigest && (<><dt>{l.index}</dt><dd><code data-field="index-digest">{p.indexDigest}</code></dd></>)}
        <dt>{l.manifest}</dt><dd><code data-field="manifest-digest">{p.manifestDigest}</code></dd>
        <dt>{l.imageId}</dt><dd><code data-field="image-id">{p.imageId}</code></dd>
      </dl>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.blobsLabel(p.ref)}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.kind}</th><th scope="col">{l.digest}</th><th scope="col">{l.size}</th><th scope="col">{l.status}</th></tr></thead>
          <tbody>
            {p.blobs.map((b) => (
              <tr key={b.digest} data-kind={b.kind} data-status={b.status}>
                <th scope="row">{b.kind}</th>
                <td><code title={b.digest}>{short(b.digest)}</code></td>
                <td>{b.size}</td>
                <td class={`image-pull-${b.status}`}>{b.status === 'downloaded' ? l.status_downloaded : l.status_exists}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.layersLabel(p.ref)}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.diffId}</th><th scope="col">{l.chainId}</th><th scope="col">{l.snapshot}</th><th scope="col">{l.unpack}</th></tr></thead>
          <tbody>
            {p.layers.map((x) => (
              <tr key={x.chainId} data-unpack={x.unpack}>
                <td><code title={x.diffId}>{short(x.diffId)}</code></td>
                <td><code title={x.chainId}>{short(x.chainId)}</code></td>
                <td>{x.snapshotId}</td>
                <td class={`image-pull-${x.unpack}`}>{x.unpack === 'unpacked' ? l.unpack_unpacked : l.unpack_exists}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="widget-caption">{l.mount}</p>
      <pre class="image-pull-mount" data-field="mount" tabIndex={0}>{p.containerMount}</pre>
    </section>
  );
}

export function ImagePullOutput({ view, locale }: { view: ImagePullView; locale: Locale }) {
  return (
    <div class="image-pull-view">
      {view.pulls.map((p) => <Pull key={p.line} p={p} locale={locale} />)}
      <p class="widget-caption" data-field="totals">{L[locale].totals(view)}</p>
    </div>
  );
}

export default function ImagePull(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<ImagePullView>
      {...props}
      run={(texts, seed) => runImagePull(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <ImagePullOutput view={view} locale={locale} />}
    />
  );
}
