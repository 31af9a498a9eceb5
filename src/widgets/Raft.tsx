/**
 * Layer 3 "etcd and Raft": edit a scenario script (elect, write, crash,
 * partition, heal), run the Raft model, see each member's final role/term/
 * commit index, a role-over-time timeline and the notable events.
 * Layout and wiring only; the model is sim's runRaftScript.
 */
import { runRaftScript, type RaftRunView, type RaftRole, type RaftMemberSample } from '@sim';
import { SnippetShell, type SnippetFile } from './shell/SnippetShell.tsx';
import type { Locale } from '../i18n/ui.ts';

const ROLES: RaftRole[] = ['leader', 'candidate', 'pre-candidate', 'follower'];

const L = {
  ja: {
    tableLabel: 'メンバーごとの最終状態', member: 'メンバー', role: '役割', term: 'term', commit: 'commitIndex', last: '最後のログ (index / term)', crashed: '停止中',
    yes: 'はい', no: 'いいえ',
    roles: { leader: 'リーダー', candidate: '候補者', 'pre-candidate': 'PreVote 中', follower: 'フォロワー' } as Record<RaftRole, string>,
    down: '停止',
    events: '主な出来事', eventsLabel: '出来事の一覧', tick: 'tick',
    caption: (v: RaftRunView) => `メンバー ${v.members} 台、electionTicks ${v.electionTicks}、${v.totalTicks} tick の実行。帯の色が役割、帯の上の数字が term。`,
    chart: (v: RaftRunView) => `各メンバーの役割と term の時系列。` + (v.leadersByTerm.length ? v.leadersByTerm.map((x) => `term ${x.term} のリーダーはメンバー ${x.leader}`).join('、') : 'リーダーは選ばれていません') + '。',
    safe: (n: number) => (n === 0 ? '安全性の検査: 違反なし' : `安全性の検査: 違反 ${n} 件`),
    truncated: '(出来事が多すぎるため途中までを表示)',
  },
  en: {
    tableLabel: 'Final state per member', member: 'Member', role: 'Role', term: 'term', commit: 'commitIndex', last: 'Last log (index / term)', crashed: 'Crashed',
    yes: 'yes', no: 'no',
    roles: { leader: 'leader', candidate: 'candidate', 'pre-candidate': 'pre-candidate', follower: 'follower' } as Record<RaftRole, string>,
    down: 'crashed',
    events: 'Notable events', eventsLabel: 'List of events', tick: 'tick',
    caption: (v: RaftRunView) => `${v.members} members, electionTicks ${v.electionTicks}, ${v.totalTicks} ticks. Band colour is the role; the number above a band is the term.`,
    chart: (v: RaftRunView) => `Role and term of each member over time. ` + (v.leadersByTerm.length ? v.leadersByTerm.map((x) => `member ${x.leader} led term ${x.term}`).join('; ') : 'no leader was elected') + '.',
    safe: (n: number) => (n === 0 ? 'Safety check: no violations' : `Safety check: ${n} violations`),
    truncated: '(too many events: showing the first ones)',
  },
};

interface Segment { from: number; to: number; role: RaftRole; term: number; crashed: boolean }

/** Runs of consecutive samples with the same role, term and crashed flag for one member. */
function segments(view: RaftRunView, index: number): Segment[] {
  const out: Segment[] = [];
  let prevTick = 0;
  for (const s of view.timeline) {
    const m = s.members[index]!;
    const last = out[out.length - 1];
    if (last && last.role === m.role && last.term === m.term && last.crashed === m.crashed) last.to = s.tick;
    else out.push({ from: prevTick, to: s.tick, role: m.role, term: m.term, crashed: m.crashed });
    prevTick = s.tick;
  }
  return out;
}

function Timeline({ view, locale }: { view: RaftRunView; locale: Locale }) {
  const rowH = 34;
  const labelW = 40;
  const width = 640;
  const plotW = width - labelW - 8;
  const total = Math.max(1, view.totalTicks);
  const x = (t: number) => labelW + (t / total) * plotW;
  const height = view.members * rowH + 22;
  const rows = Array.from({ length: view.members }, (_, i) => i);
  return (
    <svg class="raft-timeline" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={L[locale].chart(view)}>
      {rows.map((i) => {
        const y0 = i * rowH + 4;
        return (
          <g key={i}>
            <text x={0} y={y0 + rowH - 10} class="raft-label">{i + 1}</text>
            {segments(view, i).map((s, k) => (
              <g key={k}>
                <rect x={x(s.from)} y={y0 + 14} width={Math.max(0.5, x(s.to) - x(s.from))} height={rowH - 20} class={s.crashed ? 'raft-crashed' : `raft-${s.role}`} />
                {!s.crashed && x(s.to) - x(s.from) > 14 && (k === 0 || segments(view, i)[k - 1]!.term !== s.term || segments(view, i)[k - 1]!.crashed) && (
                  <text x={x(s.from) + 1} y={y0 + 11} class="raft-term">{s.term}</text>
                )}
              </g>
            ))}
          </g>
        );
      })}
      <text x={labelW} y={height - 4} class="raft-tick">0</text>
      <text x={labelW + plotW} y={height - 4} class="raft-tick" text-anchor="end">{view.totalTicks} tick</text>
    </svg>
  );
}

function finalMembers(view: RaftRunView): RaftMemberSample[] {
  return view.frames[view.frames.length - 1]?.members ?? [];
}

export function RaftView({ view, locale }: { view: RaftRunView; locale: Locale }) {
  const l = L[locale];
  return (
    <div class="raft-view">
      <p class="widget-caption">{l.caption(view)}</p>
      <ul class="raft-legend">
        {ROLES.map((r) => <li key={r}><span class={`raft-swatch raft-${r}`} aria-hidden="true" />{l.roles[r]}</li>)}
        <li><span class="raft-swatch raft-crashed" aria-hidden="true" />{l.down}</li>
      </ul>
      <Timeline view={view} locale={locale} />
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.tableLabel}>
        <table class="widget-table">
          <thead>
            <tr>
              <th scope="col">{l.member}</th>
              <th scope="col">{l.role}</th>
              <th scope="col">{l.term}</th>
              <th scope="col">{l.commit}</th>
              <th scope="col">{l.last}</th>
              <th scope="col">{l.crashed}</th>
            </tr>
          </thead>
          <tbody>
            {finalMembers(view).map((m) => (
              <tr key={m.id} data-member={m.id}>
                <th scope="row">{m.id}</th>
                <td data-field="role" data-role={m.role}>{l.roles[m.role]}</td>
                <td data-field="term">{m.term}</td>
                <td data-field="commit">{m.commitIndex}</td>
                <td data-field="last">{m.lastIndex} / {m.lastTerm}</td>
                <td data-field="crashed">{m.crashed ? l.yes : l.no}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="widget-caption" data-field="violations">{l.safe(view.violations.length)}</p>
      <details open>
        <summary>{l.events}</summary>
        <div class="table-scroll raft-events" tabIndex={0} role="region" aria-label={l.eventsLabel}>
          <ol>
            {view.events.map((e, i) => (
              <li key={i} data-kind={e.kind}><code>{l.tick} {e.tick}</code> {e.text}</li>
            ))}
          </ol>
          {view.eventsTruncated && <p class="widget-caption">{l.truncated}</p>}
        </div>
      </details>
    </div>
  );
}

export default function Raft(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<RaftRunView>
      {...props}
      run={(texts, seed) => runRaftScript(texts[props.files[0]!.id] ?? '', { seed })}
      render={(view, locale) => <RaftView view={view} locale={locale} />}
    />
  );
}
