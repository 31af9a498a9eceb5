/**
 * Layer 2 "OCI runtime spec and runc": edit a container's config.json; runc
 * creates and starts it in a pod whose pause container already runs. Shows
 * runc's system calls in order (who made each, which upstream function it
 * mirrors), the cgroup files written, and the resulting process seen from the
 * host and from inside. Layout and wiring only; the model is sim's runRuncConfig.
 */
import { runRuncConfig, type RuncConfigView, type RuncStep } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const L = {
  ja: {
    caption: (v: RuncConfigView) => `runc の手順 ${v.steps.length} 個（create ${v.steps.filter((s) => s.phase === 'create').length}、start ${v.steps.filter((s) => s.phase === 'start').length}）。pause コンテナはホストの PID ${v.pause.pid}。`,
    stepsLabel: 'runc が行った手順', seq: '#', actor: '誰が', pid: 'PID', call: '呼び出し', detail: '内容', source: 'upstream',
    warnings: '警告（runc は続行します）',
    host: 'ホストから見たプロセス', inside: 'コンテナの中から見たプロセス',
    nsLabel: '名前空間ごとの出どころ', kind: '名前空間', id: 'ID', origin: '出どころ', shared: '同じ名前空間にいる他のプロセス',
    origins: { new: '新規作成', joined: '参加', host: 'ホストのまま' } as Record<string, string>,
    hostPid: 'PID', parent: '親', cgroup: 'cgroup', argv: 'argv',
    innerPid: 'getpid()', hostname: 'hostname', procCgroup: '/proc/self/cgroup', user: 'uid / gid', caps: 'effective ケーパビリティ', nnp: 'no_new_privs', rlimits: 'rlimit', oom: 'oom_score_adj',
    mounts: 'マウント', mountsLabel: 'コンテナから見たマウント', target: 'マウント先', fstype: '種類', options: 'オプション',
    cgroupFiles: (p: string) => `cgroup ファイル（${p}）`, cgroupLabel: 'コンテナの cgroup ファイル', file: 'ファイル', value: '値',
    none: 'なし',
    layer1: 'Layer 1 のカーネルモデルから見た同じプロセス（/proc/<pid>/ns/* の inode 番号と cgroup）', layer1Label: 'Layer 1 のプロセス表',
    role: '役割', comm: 'comm', roles: { shim: 'shim', pause: 'pause', container: 'コンテナ' } as Record<string, string>,
  },
  en: {
    caption: (v: RuncConfigView) => `${v.steps.length} runc steps (${v.steps.filter((s) => s.phase === 'create').length} in create, ${v.steps.filter((s) => s.phase === 'start').length} in start). The pause container is host PID ${v.pause.pid}.`,
    stepsLabel: 'Steps runc took', seq: '#', actor: 'Who', pid: 'PID', call: 'Call', detail: 'Detail', source: 'Upstream',
    warnings: 'Warnings (runc carries on)',
    host: 'The process seen from the host', inside: 'The process seen from inside the container',
    nsLabel: 'Where each namespace comes from', kind: 'Namespace', id: 'ID', origin: 'Origin', shared: 'Other processes in the same namespace',
    origins: { new: 'new', joined: 'joined', host: 'host' } as Record<string, string>,
    hostPid: 'PID', parent: 'Parent', cgroup: 'cgroup', argv: 'argv',
    innerPid: 'getpid()', hostname: 'hostname', procCgroup: '/proc/self/cgroup', user: 'uid / gid', caps: 'effective capabilities', nnp: 'no_new_privs', rlimits: 'rlimits', oom: 'oom_score_adj',
    mounts: 'Mounts', mountsLabel: 'Mounts seen from inside', target: 'Target', fstype: 'Type', options: 'Options',
    cgroupFiles: (p: string) => `cgroup files (${p})`, cgroupLabel: 'The container cgroup files', file: 'File', value: 'Value',
    none: 'none',
    layer1: 'The same processes in Layer 1\'s kernel model (inode numbers of /proc/<pid>/ns/* and the cgroup)', layer1Label: 'Layer 1 process table',
    role: 'Role', comm: 'comm', roles: { shim: 'shim', pause: 'pause', container: 'container' } as Record<string, string>,
  },
};

const LAYER1_NS = ['pid', 'net', 'ipc', 'uts', 'mnt', 'cgroup'] as const;

function Steps({ steps, locale }: { steps: RuncStep[]; locale: Locale }) {
  const l = L[locale];
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={l.stepsLabel}>
      <table class="widget-table runc-config-steps">
        <thead><tr><th scope="col">{l.seq}</th><th scope="col">{l.actor}</th><th scope="col">{l.pid}</th><th scope="col">{l.call}</th><th scope="col">{l.detail}</th><th scope="col">{l.source}</th></tr></thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.seq} data-call={s.call} data-actor={s.actor} data-phase={s.phase}>
              <td>{s.seq}</td>
              <td><code>{s.actor}</code></td>
              <td>{s.pid}</td>
              <th scope="row"><code>{s.call}</code></th>
              <td class="runc-config-detail">{s.detail}</td>
              <td class="runc-config-source">{s.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RuncConfigOutput({ view, locale }: { view: RuncConfigView; locale: Locale }) {
  const l = L[locale];
  const h = view.process.host;
  const inside = view.process.inside;
  return (
    <div class="runc-config-view">
      <p class="widget-caption" data-field="summary">{l.caption(view)}</p>
      {view.warnings.length > 0 && (
        <div class="runc-config-warnings">
          <p>{l.warnings}</p>
          <ul>{view.warnings.map((w, i) => <li key={i} data-line={w.line ?? ''}>{w.path ? <code>{w.path}</code> : null} {w.message}</li>)}</ul>
        </div>
      )}
      <Steps steps={view.steps} locale={locale} />
      <div class="runc-config-columns">
        <section aria-label={l.host}>
          <h3>{l.host}</h3>
          <dl class="runc-config-facts">
            <dt>{l.hostPid}</dt><dd data-field="host-pid">{h.pid}</dd>
            <dt>{l.parent}</dt><dd data-field="host-ppid">{h.ppid} ({h.parentComm})</dd>
            <dt>{l.argv}</dt><dd><code>{JSON.stringify(h.argv)}</code></dd>
            <dt>{l.cgroup}</dt><dd><code class="runc-config-wrap">{h.cgroup}</code></dd>
          </dl>
        </section>
        <section aria-label={l.inside}>
          <h3>{l.inside}</h3>
          <dl class="runc-config-facts">
            <dt>{l.innerPid}</dt><dd data-field="inner-pid">{inside.pid}</dd>
            <dt>{l.hostname}</dt><dd data-field="hostname">{inside.hostname}</dd>
            <dt>{l.procCgroup}</dt><dd><code class="runc-config-wrap" data-field="proc-self-cgroup">{inside.procSelfCgroup}</code></dd>
            <dt>{l.user}</dt><dd data-field="uid">{inside.uid} / {inside.gid}</dd>
            <dt>{l.caps}</dt><dd data-field="caps">{inside.capabilities.effective.length ? inside.capabilities.effective.join(' ') : l.none}</dd>
            <dt>{l.nnp}</dt><dd>{String(inside.noNewPrivs)}</dd>
            <dt>{l.rlimits}</dt><dd>{inside.rlimits.length ? inside.rlimits.map((r) => `${r.type} ${r.soft}/${r.hard}`).join(', ') : l.none}</dd>
            <dt>{l.oom}</dt><dd>{inside.oomScoreAdj}</dd>
          </dl>
        </section>
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.nsLabel}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.kind}</th><th scope="col">{l.id}</th><th scope="col">{l.origin}</th><th scope="col">{l.shared}</th></tr></thead>
          <tbody>
            {h.namespaces.map((n) => (
              <tr key={n.kind} data-ns={n.kind} data-origin={n.origin}>
                <th scope="row">{n.kind}</th>
                <td><code>{n.id}</code></td>
                <td data-field="origin">{l.origins[n.origin]}</td>
                <td>{n.sharedWith.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="widget-caption">{l.layer1}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.layer1Label}>
        <table class="widget-table runc-config-layer1">
          <thead><tr><th scope="col">{l.role}</th><th scope="col">{l.hostPid}</th><th scope="col">{l.innerPid}</th><th scope="col">{l.comm}</th>{LAYER1_NS.map((k) => <th scope="col" key={k}>{k}</th>)}<th scope="col">{l.cgroup}</th></tr></thead>
          <tbody>
            {view.layer1.map((r) => (
              <tr key={r.hostPid} data-role={r.role}>
                <th scope="row">{l.roles[r.role]}</th>
                <td data-field="host-pid">{r.hostPid}</td>
                <td data-field="getpid">{r.getpid}</td>
                <td><code>{r.comm}</code></td>
                {LAYER1_NS.map((k) => <td key={k} data-ns={k}>{r.ns[k]}</td>)}
                <td><code class="runc-config-wrap" data-field="cgroup">{r.cgroup}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.mountsLabel}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.target}</th><th scope="col">{l.fstype}</th><th scope="col">{l.options}</th></tr></thead>
          <tbody>
            {inside.mounts.map((m) => (
              <tr key={m.target} data-target={m.target}><th scope="row"><code>{m.target}</code></th><td>{m.fstype}</td><td class="runc-config-detail">{m.options}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="widget-caption">{l.cgroupFiles(view.cgroup.path)}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.cgroupLabel}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.file}</th><th scope="col">{l.value}</th></tr></thead>
          <tbody>
            {view.cgroup.files.map((f) => (
              <tr key={f.file} data-file={f.file}><th scope="row"><code>{f.file}</code></th><td data-field="value">{f.value}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export default function RuncConfig(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<RuncConfigView>
      {...props}
      run={(texts, seed) => runRuncConfig(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <RuncConfigOutput view={view} locale={locale} />}
    />
  );
}
