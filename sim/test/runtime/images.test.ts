import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/core/prng.ts';
import { chainIds, digestOf } from '../../src/runtime/images/digest.ts';
import { crc32, gunzipStored, gzipStored } from '../../src/runtime/images/gzip.ts';
import { readTar, writeTar } from '../../src/runtime/images/tar.ts';
import { ImageService } from '../../src/runtime/images/image-service.ts';
import { parseReference } from '../../src/runtime/images/reference.ts';
import { decodeJson, defaultRegistry } from '../../src/runtime/images/registry.ts';
import { OverlaySnapshotter } from '../../src/runtime/snapshotter/overlay.ts';
import type { ImageIndex, ImageManifest } from '../../src/runtime/images/media-types.ts';
import { utf8Bytes } from '../../src/core/sha256.ts';

describe('digests', () => {
  // NIST FIPS 180-4 example vectors.
  it.each([
    ['', 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', 'sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('digestOf(%j)', (text, want) => {
    expect(digestOf(text)).toBe(want);
  });

  it('chain IDs follow image-spec config.md: ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n))', () => {
    const a = digestOf('layer a');
    const b = digestOf('layer b');
    const c = digestOf('layer c');
    const ids = chainIds([a, b, c]);
    expect(ids[0]).toBe(a);
    expect(ids[1]).toBe(digestOf(`${a} ${b}`));
    expect(ids[2]).toBe(digestOf(`${ids[1]} ${c}`));
  });

  it('crc32 matches the IEEE check value', () => {
    expect(crc32(utf8Bytes('123456789')).toString(16)).toBe('cbf43926');
  });

  it('gzip stored blocks round-trip, also across the 65535-byte block limit', () => {
    for (const n of [0, 1, 65535, 65536, 140000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31) & 0xff);
      const gz = gzipStored(data);
      expect(gz[0]).toBe(0x1f);
      expect(gunzipStored(gz)).toEqual(data);
    }
  });

  it('tar round-trips entries with a valid header checksum', () => {
    const tar = writeTar([
      { path: 'etc', type: 'dir' },
      { path: 'etc/hostname', type: 'file', content: utf8Bytes('node-1\n') },
      { path: 'bin', type: 'symlink', linkTarget: 'usr/bin' },
    ]);
    expect(tar.length % 512).toBe(0);
    const back = readTar(tar);
    expect(back.map((e) => [e.path, e.type])).toEqual([['etc', 'dir'], ['etc/hostname', 'file'], ['bin', 'symlink']]);
    expect(back[2]!.linkTarget).toBe('usr/bin');
  });
});

describe('references (distribution/reference normalize.go)', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
    ['registry.k8s.io/pause:3.10.1', 'registry.k8s.io/pause:3.10.1'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
  ])('%s → %s', (input, full) => {
    const r = parseReference(input);
    expect(r.ok && r.value.full).toBe(full);
  });
  it('rejects upper case repository names', () => {
    expect(parseReference('Nginx').ok).toBe(false);
  });
});

describe('registry content', () => {
  it('every blob is addressed by the sha256 of its exact bytes; layers differ from diff_ids', () => {
    const reg = defaultRegistry();
    for (const [digest, bytes] of reg.blobs) expect(digestOf(bytes)).toBe(digest);
    const idx = reg.resolve('docker.io/library/nginx', '1.27')!;
    const index = decodeJson<ImageIndex>(reg.fetch(idx.digest)!);
    expect(index.manifests.map((m) => m.platform?.architecture)).toEqual(['amd64', 'arm64']);
    const m = decodeJson<ImageManifest>(reg.fetch(index.manifests[0]!.digest)!);
    expect(m.layers.every((l) => l.mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip')).toBe(true);
    const cfg = decodeJson<{ rootfs: { diff_ids: string[] } }>(reg.fetch(m.config.digest)!);
    expect(cfg.rootfs.diff_ids).toHaveLength(m.layers.length);
    expect(cfg.rootfs.diff_ids[0]).not.toBe(m.layers[0]!.digest);
  });

  it('script-only layers are identical across architectures, binary layers are not', () => {
    const reg = defaultRegistry();
    const index = decodeJson<ImageIndex>(reg.fetch(reg.resolve('docker.io/library/nginx', '1.27')!.digest)!);
    const [amd, arm] = index.manifests.map((d) => decodeJson<ImageManifest>(reg.fetch(d.digest)!));
    expect(amd!.layers[0]!.digest).not.toBe(arm!.layers[0]!.digest);
    expect(amd!.layers[2]!.digest).toBe(arm!.layers[2]!.digest);
  });
});

describe('pull and dedupe', () => {
  it('pulling nginx then redis downloads the shared base layer once', () => {
    const svc = new ImageService(new OverlaySnapshotter());
    const prng = new Prng(1);
    const a = svc.pull('nginx:1.27', prng);
    const b = svc.pull('redis:7', prng);
    if (!a.ok || !b.ok) throw new Error('pull failed');
    expect(a.value.layers.every((l) => l.download === 'downloaded')).toBe(true);
    expect(b.value.layers[0]!.download).toBe('exists');
    expect(b.value.layers[0]!.unpack).toBe('exists');
    expect(b.value.layers[0]!.digest).toBe(a.value.layers[0]!.digest);
    expect(b.value.layers.slice(1).every((l) => l.download === 'downloaded')).toBe(true);
    expect(b.value.reusedBytes).toBe(b.value.layers[0]!.size);
    // The same content in the store is counted once.
    const sum = svc.content.digests().reduce((n, d) => n + svc.content.get(d)!.length, 0);
    expect(sum).toBe(a.value.downloadedBytes + b.value.downloadedBytes);
  });

  it('a second pull of the same tag downloads nothing', () => {
    const svc = new ImageService(new OverlaySnapshotter());
    svc.pull('nginx:1.27', new Prng(2));
    const again = svc.pull('docker.io/library/nginx:1.27', new Prng(3));
    expect(again.ok && again.value.downloadedBytes).toBe(0);
  });

  it('arm64 nodes get the arm64 manifest and different base layer digests', () => {
    const amd = new ImageService(new OverlaySnapshotter()).pull('nginx:1.27', new Prng(1));
    const arm = new ImageService(new OverlaySnapshotter(), { os: 'linux', architecture: 'arm64' }).pull('nginx:1.27', new Prng(1));
    if (!amd.ok || !arm.ok) throw new Error('pull failed');
    expect(arm.value.indexDigest).toBe(amd.value.indexDigest);
    expect(arm.value.manifestDigest).not.toBe(amd.value.manifestDigest);
  });

  it('unknown tags fail with a message naming the reference', () => {
    const r = new ImageService(new OverlaySnapshotter()).pull('nginx:0.1', new Prng(1));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toContain('docker.io/library/nginx:0.1');
  });

  it('unpacked snapshots stack into the merged rootfs, whiteouts hiding base files', () => {
    const snap = new OverlaySnapshotter();
    const svc = new ImageService(snap);
    const r = svc.pull('nginx:1.27', new Prng(1));
    if (!r.ok) throw new Error('pull failed');
    const merged = snap.merged(r.value.topChainId);
    expect(merged.has('/usr/sbin/nginx')).toBe(true);
    expect(merged.has('/etc/os-release')).toBe(true);
    expect(merged.has('/var/cache/apt/pkgcache.bin')).toBe(false);
  });
});
