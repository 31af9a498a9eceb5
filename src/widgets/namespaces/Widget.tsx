/**
 * Layer 1 "Namespaces": edit a script of unshare/nsenter/setns/ip steps, run
 * it against the sim's process + namespace model, and see after any step the
 * process tree from the host and from inside each pid namespace (what `ps`
 * and `/proc` show), each process's namespaces, and the veth/bridge wiring
 * between network namespaces. Layout and wiring only; the model is sim's
 * runNamespaces (sim/src/kernel/namespaces, sim/src/kernel/process.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { runNamespaces, type NamespacesView, type NsSnapshot, type NetNsView } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const holdersJa = (h: number[], pins: string[]) => (h.length ? `ホスト pid ${h.join(', ')}` : `プロセスなし: ${pins.join(', ')} で固定`);
const holdersEn = (h: number[], pins: string[]) => (h.length ? `host pids ${h.join(', ')}` : `no process: pinned at ${pins.join(', ')}`);

const L = {
  ja: {
    transcript: '各ステップの出力', transcriptLabel: 'ステップごとの出力', line: '行', command: 'コマンド', output: '出力',
    pick: '表示する時点', after: (line: number, cmd: string) => `${line} 行目 ${cmd} の後`,
    pidTitle: (inum: number, level: number) => `pid 名前空間 pid:[${inum}] (level ${level}) の中の ps`,
    proc: (pids: number[]) => `この名前空間の /proc に並ぶ番号: ${pids.join(' ')}`,
    pidLabel: (inum: number) => `pid:[${inum}] から見たプロセス`,
    hostPid: 'ホスト pid', comm: 'コマンド', ppid: 'PPID',
    procTitle: 'プロセスごとの名前空間 (/proc/<pid>/ns/* の inode 番号)', procLabel: 'プロセスごとの名前空間',
    getpid: 'getpid()', hostname: 'hostname', uid: 'uid (中 / ホスト)', current: '(現在のシェル)',
    netTitle: 'ネットワーク名前空間とデバイス', netLabel: 'ネットワーク名前空間ごとのデバイス',
    ns: '名前空間', dev: 'デバイス', type: '種類', state: '状態', addr: 'アドレス', master: 'ブリッジ', peer: 'veth の相手', up: 'UP', down: 'DOWN',
    holders: holdersJa,
    svg: (nets: NetNsView[]) => 'veth と bridge の配線図。' + nets.map((n) => `net:[${n.inum}] (${holdersJa(n.holders, n.pinnedAt)}) には ${n.devices.map((d) => `${d.name}${d.addresses.length ? ` (${d.addresses.join(', ')})` : ''}${d.master ? ` ブリッジ ${d.master} のポート` : ''}${d.peer ? ` 相手は net:[${d.peer.netnsInum}] の ${d.peer.name}` : ''}`).join('、')}`).join('。') + '。',
    tooMany: (n: number) => `ネットワーク名前空間が ${n} 個あるため、図は最初の 4 個だけを描きます (表はすべてを示します)。`,
    allNs: 'すべての名前空間の中身', kind: '種類', inum: 'inode', users: '使っているプロセス (ホスト pid)', summary: '概要',
    errLine: 'エラー',
  },
  en: {
    transcript: 'Output of each step', transcriptLabel: 'Output per step', line: 'Line', command: 'Command', output: 'Output',
    pick: 'Show the state', after: (line: number, cmd: string) => `after line ${line}: ${cmd}`,
    pidTitle: (inum: number, level: number) => `ps inside pid namespace pid:[${inum}] (level ${level})`,
    proc: (pids: number[]) => `Numbers listed in /proc in this namespace: ${pids.join(' ')}`,
    pidLabel: (inum: number) => `Processes as pid:[${inum}] sees them`,
    hostPid: 'Host pid', comm: 'Command', ppid: 'PPID',
    procTitle: 'Namespaces per process (inode numbers of /proc/<pid>/ns/*)', procLabel: 'Namespaces per process',
    getpid: 'getpid()', hostname: 'hostname', uid: 'uid (inside / host)', current: '(current shell)',
    netTitle: 'Network namespaces and devices', netLabel: 'Devices per network namespace',
    ns: 'Namespace', dev: 'Device', type: 'Type', state: 'State', addr: 'Addresses', master: 'Bridge', peer: 'veth peer', up: 'UP', down: 'DOWN',
    holders: holdersEn,
    svg: (nets: NetNsView[]) => 'Wiring of veths and bridges. ' + nets.map((n) => `net:[${n.inum}] (${holdersEn(n.holders, n.pinnedAt)}) has ${n.devices.map((d) => `${d.name}${d.addresses.length ? ` (${d.addresses.join(', ')})` : ''}${d.master ? `, a port of bridge ${d.master}` : ''}${d.peer ? `, peer ${d.peer.name} in net:[${d.peer.netnsInum}]` : ''}`).join('; ')}`).join('. ') + '.',
    tooMany: (n: number) => `There are ${n} network namespaces; the drawing shows the first 4 (the table lists all).`,
    allNs: 'What every namespace holds', kind: 'Kind', inum: 'inode', users: 'Used by (host pids)', summary: 'Summary',
    errLine: 'error',
  },
};

const NS_COLS = ['pid', 'net', 'mnt', 'uts', 'ipc', 'user'] as const;

/** The veth/bridge drawing: one box per network namespace, devices inside, lines for veth pairs and bridge ports. */
function Wiring({ nets, locale }: { nets: NetNsView[]; locale: Locale }) {
  const shown = nets.slice(0, 4);
  const width = 640;
  const gap = 36;
  const boxW = (width - gap * (shown.length - 1)) / Math.max(1, shown.length);
  const rowH = 40;
  const top = 40;
  const maxDev = Math.max(1, ...shown.map((n) => n.devices.length));
  const height = top + maxDev * rowH + 14;
  const pos = new Map<string, { x: number; y: number; box: number }>();
  shown.forEach((n, bi) => n.devices.forEach((d, di) => pos.set(`${n.inum}/${d.name}`, { x: bi * (boxW + gap), y: top + di * rowH, box: bi })));
  const devX = 22;
  const devW = boxW - 30;
  const links: { key: string; d: string; cls: string }[] = [];
  const drawn = new Set<string>();
  shown.forEach((n) => n.devices.forEach((d) => {
    const a = pos.get(`${n.inum}/${d.name}`)!;
    if (d.peer) {
      const b = pos.get(`${d.peer.netnsInum}/${d.peer.name}`);
      const key = [`${n.inum}/${d.name}`, `${d.peer.netnsInum}/${d.peer.name}`].sort().join('~');
      if (b && !drawn.has(key)) {
        drawn.add(key);
        if (a.box === b.box) {
          const x = a.x + devX + devW;
          links.push({ key, d: `M${x} ${a.y + 14} h10 V${b.y + 14} h-10`, cls: 'ns-veth' });
        } else {
          const [l, r] = a.box < b.box ? [a, b] : [b, a];
          links.push({ key, d: `M${l.x + devX + devW} ${l.y + 14} C${l.x + devX + devW + gap} ${l.y + 14} ${r.x + devX - gap} ${r.y + 14} ${r.x + devX} ${r.y + 14}`, cls: 'ns-veth' });
        }
      }
    }
    if (d.master) {
      const br = pos.get(`${n.inum}/${d.master}`);
      if (br) links.push({ key: `m-${n.inum}/${d.name}`, d: `M${a.x + devX} ${a.y + 14} h-10 V${br.y + 14} h10`, cls: 'ns-port' });
    }
  }));
  return (
    <svg class="ns-wiring" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].svg(nets)}>
      {shown.map((n, bi) => (
        <g key={n.inum}>
          <rect x={bi * (boxW + gap)} y={2} width={boxW} height={height - 4} rx={6} class="ns-box" />
          <text x={bi * (boxW + gap) + 8} y={18} class="ns-label">net:[{n.inum}]</text>
          <text x={bi * (boxW + gap) + 8} y={32} class="ns-small">{L[locale].holders(n.holders, n.pinnedAt)}</text>
          {n.devices.map((d, di) => {
            const y = top + di * rowH;
            const x = bi * (boxW + gap) + devX;
            return (
              <g key={d.name}>
                <rect x={x} y={y} width={devW} height={30} rx={4} class={`ns-dev ns-dev-${d.type}${d.up ? '' : ' ns-down'}`} />
                <text x={x + 6} y={y + 13} class="ns-label">{d.name}{d.up ? '' : ' (DOWN)'}</text>
                <text x={x + 6} y={y + 26} class="ns-small">{d.addresses[0] ?? d.type}</text>
              </g>
            );
          })}
        </g>
      ))}
      {links.map((l) => <path key={l.key} d={l.d} class={l.cls} />)}
    </svg>
  );
}

function SnapshotView({ snap, locale }: { snap: NsSnapshot; locale: Locale }) {
  const l = L[locale];
  return (
    <>
      <div class="ns-pidviews">
        {snap.pidViews.map((p) => (
          <figure key={p.inum} data-pidns-level={p.level} data-pidns={p.inum}>
            <figcaption>{l.pidTitle(p.inum, p.level)}</figcaption>
            <p class="widget-caption" data-field="proc">{l.proc(p.processes.map((x) => x.pid))}</p>
            <div class="table-scroll" tabIndex={0} role="region" aria-label={l.pidLabel(p.inum)}>
              <table class="widget-table">
                <thead><tr><th scope="col">PID</th><th scope="col">{l.ppid}</th><th scope="col">{l.comm}</th><th scope="col">UID</th><th scope="col">{l.hostPid}</th></tr></thead>
                <tbody>
                  {p.processes.map((x) => (
                    <tr key={x.hostPid} data-host-pid={x.hostPid}>
                      <td data-field="pid">{x.pid}</td><td>{x.ppid}</td><td>{x.comm}</td><td>{x.uid}</td><td>{x.hostPid}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </figure>
        ))}
      </div>
      <h3 class="ns-h">{l.procTitle}</h3>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.procLabel}>
        <table class="widget-table ns-procs">
          <thead>
            <tr>
              <th scope="col">{l.hostPid}</th><th scope="col">{l.comm}</th><th scope="col">{l.getpid}</th><th scope="col">{l.hostname}</th><th scope="col">{l.uid}</th>
              {NS_COLS.map((k) => <th scope="col" key={k}>{k}</th>)}
            </tr>
          </thead>
          <tbody>
            {snap.processes.map((p) => (
              <tr key={p.hostPid} data-host-pid={p.hostPid} class={p.current ? 'ns-current' : undefined}>
                <th scope="row">{p.hostPid}{p.current ? ` ${l.current}` : ''}</th>
                <td>{p.comm}</td>
                <td data-field="getpid">{p.getpid}</td>
                <td data-field="hostname">{p.hostname}</td>
                <td data-field="uid">{p.uid} / {p.hostUid}</td>
                {NS_COLS.map((k) => <td key={k} data-field={`ns-${k}`}>{p.ns[k]}{k === 'pid' && p.pidForChildren !== null ? ` → ${p.pidForChildren}` : ''}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 class="ns-h">{l.netTitle}</h3>
      {snap.nets.length > 4 && <p class="widget-caption">{l.tooMany(snap.nets.length)}</p>}
      <Wiring nets={snap.nets} locale={locale} />
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.netLabel}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.ns}</th><th scope="col">{l.dev}</th><th scope="col">{l.type}</th><th scope="col">{l.state}</th><th scope="col">{l.addr}</th><th scope="col">{l.master}</th><th scope="col">{l.peer}</th></tr></thead>
          <tbody>
            {snap.nets.flatMap((n) => n.devices.map((d) => (
              <tr key={`${n.inum}/${d.name}`} data-netns={n.inum} data-dev={d.name}>
                <td>net:[{n.inum}]{n.pinnedAt.length ? ` (${n.pinnedAt.join(', ')})` : ''}</td>
                <th scope="row">{d.ifindex}: {d.name}</th>
                <td>{d.type}</td>
                <td data-field="state">{d.up ? l.up : l.down}</td>
                <td data-field="addr">{d.addresses.join(', ')}</td>
                <td>{d.master ?? ''}</td>
                <td data-field="peer">{d.peer ? `${d.peer.name} @ net:[${d.peer.netnsInum}]` : ''}</td>
              </tr>
            )))}
          </tbody>
        </table>
      </div>
      <details class="ns-all">
        <summary>{l.allNs}</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.allNs}>
          <table class="widget-table">
            <thead><tr><th scope="col">{l.kind}</th><th scope="col">{l.inum}</th><th scope="col">{l.users}</th><th scope="col">{l.summary}</th></tr></thead>
            <tbody>
              {snap.namespaces.map((n) => (
                <tr key={`${n.kind}:${n.inum}`} data-ns={`${n.kind}:${n.inum}`}>
                  <th scope="row">{n.kind}</th>
                  <td>{n.inum}</td>
                  <td>{n.holders.join(', ')}</td>
                  <td>{n.summary}{n.details.length > 0 && <pre class="ns-pre">{n.details.join('\n')}</pre>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

export function NamespacesResult({ view, locale }: { view: NamespacesView; locale: Locale }) {
  const l = L[locale];
  const last = view.steps.length - 1;
  const [picked, setPicked] = useState(last);
  useEffect(() => setPicked(view.steps.length - 1), [view]);
  const idx = Math.min(Math.max(picked, -1), last);
  const snap = idx >= 0 ? view.steps[idx]!.snapshot : view.final;
  return (
    <div class="ns-view">
      <details class="ns-transcript" open>
        <summary>{l.transcript}</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.transcriptLabel}>
          <table class="widget-table">
            <thead><tr><th scope="col">{l.line}</th><th scope="col">{l.command}</th><th scope="col">{l.output}</th></tr></thead>
            <tbody>
              {view.steps.map((s, i) => (
                <tr key={i} data-step-line={s.line} class={`${s.error ? 'ns-failed' : ''}${i === idx ? ' ns-picked' : ''}`}>
                  <td>{s.line}</td>
                  <td><code>{s.command}</code></td>
                  <td data-field="output"><pre class="ns-pre">{s.output.join('\n')}</pre></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      {view.steps.length > 0 && <label class="ns-pick">
        {l.pick}{' '}
        <select value={String(idx)} onChange={(e) => setPicked(Number((e.currentTarget as HTMLSelectElement).value))}>
          {view.steps.map((s, i) => <option key={i} value={String(i)}>{l.after(s.line, s.command)}</option>)}
        </select>
      </label>}
      <SnapshotView snap={snap} locale={locale} />
    </div>
  );
}

export default function Namespaces(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<NamespacesView>
      {...props}
      run={(texts) => runNamespaces(texts[props.files[0]!.id] ?? '')}
      render={(view, locale) => <NamespacesResult view={view} locale={locale} />}
    />
  );
}
