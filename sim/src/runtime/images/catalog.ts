/**
 * The simulated registry's images: a Debian-slim-like base shared by `nginx`
 * and `redis`, and the `pause` image, each for linux/amd64 and linux/arm64.
 * Layer contents are small but real (tar archives of files, gzip-wrapped), so
 * every digest below is the true sha256 of the bytes served. Binary files are
 * deterministic pseudo-random bytes that depend on path and architecture, so
 * architecture-specific layers get different digests while layers holding
 * only scripts are byte-identical across architectures — as in real images.
 * Layer lists follow the shape of the official images (nginx 1.27 on
 * bookworm-slim: package install, entrypoint script, entrypoint.d scripts;
 * redis 7: user, gosu, build, entrypoint), scaled down to kilobytes.
 */
import { utf8Bytes } from '../../core/sha256.ts';
import type { TarEntry } from './tar.ts';

export type Arch = 'amd64' | 'arm64';
export const ARCHES: Arch[] = ['amd64', 'arm64'];

export interface FileSpec {
  path: string;
  /** Text content, or a size in bytes of architecture-specific binary. */
  text?: string;
  binaryBytes?: number;
  type?: 'dir' | 'symlink';
  linkTarget?: string;
  mode?: number;
}

export interface LayerSpec {
  createdBy: string;
  files: FileSpec[];
}

export interface ImageSpecDef {
  /** `domain/path` of the repository, e.g. `docker.io/library/nginx`. */
  repository: string;
  tags: string[];
  layers: LayerSpec[];
  config: { Env?: string[]; Entrypoint?: string[]; Cmd?: string[]; WorkingDir?: string; User?: string; ExposedPorts?: Record<string, object>; StopSignal?: string };
  created: string;
}

const triplet = (arch: Arch) => (arch === 'amd64' ? 'x86_64-linux-gnu' : 'aarch64-linux-gnu');

/** Deterministic bytes for a binary file: xorshift32 seeded from the path and architecture. */
export function binaryContent(path: string, arch: Arch, size: number): Uint8Array {
  let x = 2166136261;
  for (const ch of `${arch}:${path}`) x = Math.imul(x ^ ch.charCodeAt(0), 16777619) >>> 0;
  const out = new Uint8Array(size);
  out.set([0x7f, 0x45, 0x4c, 0x46].slice(0, size)); // ELF magic
  for (let i = 4; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export function layerEntries(layer: LayerSpec, arch: Arch): TarEntry[] {
  return layer.files.map((f) => {
    const path = f.path.replaceAll('$TRIPLET', triplet(arch));
    if (f.type === 'dir') return { path, type: 'dir', mode: f.mode };
    if (f.type === 'symlink') return { path, type: 'symlink', linkTarget: f.linkTarget };
    const content = f.text !== undefined ? utf8Bytes(f.text) : binaryContent(path, arch, f.binaryBytes ?? 0);
    return { path, type: 'file', content, mode: f.mode ?? (f.binaryBytes ? 0o755 : 0o644) };
  });
}

const BASE_LAYER: LayerSpec = {
  createdBy: '# debian.sh --arch "${ARCH}" out/ bookworm @1735689600',
  files: [
    { path: 'bin', type: 'symlink', linkTarget: 'usr/bin' },
    { path: 'etc', type: 'dir' },
    { path: 'etc/os-release', text: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n' },
    { path: 'etc/passwd', text: 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' },
    { path: 'etc/group', text: 'root:x:0:\nnogroup:x:65534:\n' },
    { path: 'usr/bin/bash', binaryBytes: 9000 },
    { path: 'usr/bin/sh', type: 'symlink', linkTarget: 'dash' },
    { path: 'usr/bin/dash', binaryBytes: 4000 },
    { path: 'usr/bin/ls', binaryBytes: 3000 },
    { path: 'usr/lib/$TRIPLET/libc.so.6', binaryBytes: 14000 },
    { path: 'var/cache/apt/pkgcache.bin', binaryBytes: 2500 },
  ],
};

const NGINX_ENTRYPOINT = '#!/bin/sh\n# vim:sw=4:ts=4:et\nset -e\nentrypoint_log() {\n    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then echo "$@"; fi\n}\nif [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then\n    entrypoint_log "$0: Looking for shell scripts in /docker-entrypoint.d/"\n    find "/docker-entrypoint.d/" -follow -type f -print | sort -V | while read -r f; do "$f"; done\nfi\nexec "$@"\n';

export const CATALOG: ImageSpecDef[] = [
  {
    repository: 'docker.io/library/debian',
    tags: ['bookworm-slim', '12-slim'],
    layers: [BASE_LAYER],
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['bash'] },
    created: '2025-01-13T00:00:00Z',
  },
  {
    repository: 'docker.io/library/nginx',
    tags: ['1.27', '1.27.3', 'latest'],
    layers: [
      BASE_LAYER,
      {
        createdBy: 'RUN /bin/sh -c set -x && groupadd --system --gid 101 nginx && apt-get install nginx=${NGINX_VERSION}-1~bookworm && apt-get clean # buildkit',
        files: [
          { path: 'usr/sbin/nginx', binaryBytes: 12000 },
          { path: 'etc/nginx/nginx.conf', text: 'user  nginx;\nworker_processes  auto;\nerror_log  /var/log/nginx/error.log notice;\npid        /run/nginx.pid;\nevents {\n    worker_connections  1024;\n}\nhttp {\n    include       /etc/nginx/mime.types;\n    sendfile        on;\n    keepalive_timeout  65;\n    include /etc/nginx/conf.d/*.conf;\n}\n' },
          { path: 'usr/share/nginx/html/index.html', text: '<!DOCTYPE html>\n<html>\n<head><title>Welcome to nginx!</title></head>\n<body><h1>Welcome to nginx!</h1></body>\n</html>\n' },
          { path: 'var/log/nginx/access.log', type: 'symlink', linkTarget: '/dev/stdout' },
          { path: 'var/log/nginx/error.log', type: 'symlink', linkTarget: '/dev/stderr' },
          { path: 'var/cache/apt/.wh.pkgcache.bin', text: '' },
        ],
      },
      { createdBy: 'COPY docker-entrypoint.sh / # buildkit', files: [{ path: 'docker-entrypoint.sh', text: NGINX_ENTRYPOINT, mode: 0o775 }] },
      {
        createdBy: 'COPY 10-listen-on-ipv6-by-default.sh 20-envsubst-on-templates.sh 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit',
        files: [
          { path: 'docker-entrypoint.d', type: 'dir' },
          { path: 'docker-entrypoint.d/10-listen-on-ipv6-by-default.sh', text: '#!/bin/sh\n# enable IPv6 listen in default.conf if the kernel supports it\nset -e\n', mode: 0o775 },
          { path: 'docker-entrypoint.d/20-envsubst-on-templates.sh', text: '#!/bin/sh\n# render /etc/nginx/templates/*.template with envsubst\nset -e\n', mode: 0o775 },
          { path: 'docker-entrypoint.d/30-tune-worker-processes.sh', text: '#!/bin/sh\n# tune worker_processes to the cgroup CPU limit when asked\nset -eu\n', mode: 0o775 },
        ],
      },
    ],
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NGINX_VERSION=1.27.3', 'NJS_VERSION=0.8.7'],
      Entrypoint: ['/docker-entrypoint.sh'],
      Cmd: ['nginx', '-g', 'daemon off;'],
      ExposedPorts: { '80/tcp': {} },
      StopSignal: 'SIGQUIT',
    },
    created: '2025-01-14T00:00:00Z',
  },
  {
    repository: 'docker.io/library/redis',
    tags: ['7', '7.4', '7.4.2'],
    layers: [
      BASE_LAYER,
      { createdBy: 'RUN /bin/sh -c set -eux; groupadd -r -g 999 redis; useradd -r -g redis -u 999 redis # buildkit', files: [{ path: 'etc/passwd', text: 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nredis:x:999:999::/home/redis:/bin/sh\n' }, { path: 'etc/group', text: 'root:x:0:\nnogroup:x:65534:\nredis:x:999:\n' }] },
      { createdBy: 'RUN /bin/sh -c set -eux; ... gosu --version # buildkit', files: [{ path: 'usr/local/bin/gosu', binaryBytes: 5000 }] },
      { createdBy: 'RUN /bin/sh -c set -eux; ... make -C /usr/src/redis install # buildkit', files: [{ path: 'usr/local/bin/redis-server', binaryBytes: 16000 }, { path: 'usr/local/bin/redis-cli', type: 'symlink', linkTarget: 'redis-server' }] },
      { createdBy: 'COPY docker-entrypoint.sh /usr/local/bin/ # buildkit', files: [{ path: 'usr/local/bin/docker-entrypoint.sh', text: '#!/bin/sh\nset -e\n# drop from root to the redis user with gosu\nif [ "$1" = \'redis-server\' -a "$(id -u)" = \'0\' ]; then\n    exec gosu redis "$0" "$@"\nfi\nexec "$@"\n', mode: 0o755 }, { path: 'data', type: 'dir' }] },
    ],
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'REDIS_VERSION=7.4.2'],
      Entrypoint: ['docker-entrypoint.sh'],
      Cmd: ['redis-server'],
      WorkingDir: '/data',
      ExposedPorts: { '6379/tcp': {} },
    },
    created: '2025-01-07T00:00:00Z',
  },
  {
    repository: 'registry.k8s.io/pause',
    tags: ['3.10.1', '3.10'],
    layers: [{ createdBy: 'ADD bin/pause-linux-${ARCH} /pause # buildkit', files: [{ path: 'pause', binaryBytes: 1500 }] }],
    config: { Entrypoint: ['/pause'], User: '65535:65535' },
    created: '2024-05-16T00:00:00Z',
  },
];
