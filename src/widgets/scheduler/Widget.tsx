/**
 * Layer 3 "kube-scheduler": edit the Nodes, the pending Pod and the
 * KubeSchedulerConfiguration; one explained scheduling cycle shows, per node,
 * each Filter plugin's code and reasons, each Score plugin's normalized score
 * and weight, the weighted total, the chosen node and why the others lost.
 * Layout and wiring only; the model is sim's runSchedulerWidget.
 */
import { runSchedulerWidget, type SchedulingView, type SchedulingRow } from '@sim';
import { SnippetShell, type SnippetFile, type RunOutcome, type LocatedError } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const L = {
  ja: {
    selected: (v: SchedulingView) => (v.selectedNode ? `${v.pod} は ${v.selectedNode} に割り当てられます。` : `${v.pod} はどのノードにも入らず Pending のままです。`),
    counts: (v: SchedulingView) => `ノード ${v.rows.length} 台のうち ${v.evaluatedNodes} 台を Filter で評価し、${v.feasibleNodes} 台が通過しました (探す台数の上限 numNodesToFind = ${v.numNodesToFind})。`,
    filterTitle: 'Filter: プラグインごとの結果', filterLabel: 'ノードごと・Filter プラグインごとの結果',
    scoreTitle: 'Score: 正規化後の点数 × 重み', scoreLabel: 'ノードごと・Score プラグインごとの点数と合計',
    node: 'ノード', total: '合計', verdict: '結果', why: '理由',
    skipped: 'Skip', notEvaluated: '未評価', success: 'Success',
    verdicts: { selected: '選択', filtered: 'Filter で除外', 'lower-score': '点数で負け', 'tie-lost': '同点で抽選に負け', 'not-evaluated': '評価されず', 'not-scored': '採点なし' } as Record<SchedulingRow['verdict'], string>,
    noScore: 'Filter を通ったノードが 1 台以下のため、Score は実行されません。',
    message: 'FailedScheduling イベントのメッセージ',
    weight: '重み',
    preemption: (n: string) => `DefaultPreemption (PostFilter) は ${n} を候補に指名しました。`,
  },
  en: {
    selected: (v: SchedulingView) => (v.selectedNode ? `${v.pod} is assigned to ${v.selectedNode}.` : `${v.pod} fits no node and stays Pending.`),
    counts: (v: SchedulingView) => `Of ${v.rows.length} nodes, ${v.evaluatedNodes} were evaluated by Filter and ${v.feasibleNodes} passed (numNodesToFind = ${v.numNodesToFind}).`,
    filterTitle: 'Filter: result per plugin', filterLabel: 'Result per node and Filter plugin',
    scoreTitle: 'Score: normalized score × weight', scoreLabel: 'Score per node and Score plugin, with the total',
    node: 'Node', total: 'Total', verdict: 'Verdict', why: 'Why',
    skipped: 'Skip', notEvaluated: 'not evaluated', success: 'Success',
    verdicts: { selected: 'selected', filtered: 'filtered out', 'lower-score': 'lower score', 'tie-lost': 'lost the tie-break', 'not-evaluated': 'not evaluated', 'not-scored': 'not scored' } as Record<SchedulingRow['verdict'], string>,
    noScore: 'At most one node passed Filter, so Score does not run.',
    message: 'FailedScheduling event message',
    weight: 'weight',
    preemption: (n: string) => `DefaultPreemption (PostFilter) nominated ${n}.`,
  },
};

function FilterTable({ view, locale }: { view: SchedulingView; locale: Locale }) {
  const l = L[locale];
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={l.filterLabel}>
      <table class="widget-table">
        <thead>
          <tr>
            <th scope="col">{l.node}</th>
            {view.filterPlugins.map((p) => <th scope="col" key={p}>{p}</th>)}
          </tr>
        </thead>
        <tbody>
          {view.rows.map((r) => (
            <tr key={r.node} data-node={r.node} class={r.verdict === 'selected' ? 'scheduler-chosen' : ''}>
              <th scope="row">{r.node}</th>
              {view.filterPlugins.map((p) => {
                const f = r.filters.find((x) => x.plugin === p);
                if (!r.evaluated || !f) return <td key={p} data-plugin={p} data-code="" class="scheduler-skip">{l.notEvaluated}</td>;
                if (f.skipped) return <td key={p} data-plugin={p} data-code="Skip" class="scheduler-skip">{l.skipped}</td>;
                const failed = f.code !== 'Success';
                return (
                  <td key={p} data-plugin={p} data-code={f.code} class={failed ? 'scheduler-fail' : ''}>
                    {f.code}
                    {f.reasons.map((reason, i) => <span key={i} class="scheduler-reason">{reason}</span>)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ScoreTable({ view, locale }: { view: SchedulingView; locale: Locale }) {
  const l = L[locale];
  const plugins = view.scorePlugins;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={l.scoreLabel}>
      <table class="widget-table">
        <thead>
          <tr>
            <th scope="col">{l.node}</th>
            {plugins.map((p) => <th scope="col" key={p.name}>{p.name} <span class="scheduler-reason">{l.weight} {p.weight}</span></th>)}
            <th scope="col">{l.total}</th>
            <th scope="col">{l.verdict}</th>
            <th scope="col">{l.why}</th>
          </tr>
        </thead>
        <tbody>
          {view.rows.map((r) => (
            <tr key={r.node} data-node={r.node} data-verdict={r.verdict} class={r.verdict === 'selected' ? 'scheduler-chosen' : ''}>
              <th scope="row">{r.node}</th>
              {plugins.map((p) => {
                const s = r.scores?.find((x) => x.plugin === p.name);
                if (!s) return <td key={p.name} data-plugin={p.name} class="scheduler-skip">—</td>;
                if (s.skipped) return <td key={p.name} data-plugin={p.name} data-score="skip" class="scheduler-skip">{l.skipped}</td>;
                return <td key={p.name} data-plugin={p.name} data-score={s.score}>{s.score} × {s.weight} = {s.weighted}</td>;
              })}
              <td data-field="total">{r.total ?? '—'}</td>
              <td data-field="verdict">{l.verdicts[r.verdict]}</td>
              <td data-field="why">{r.why ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SchedulerView({ view, locale }: { view: SchedulingView; locale: Locale }) {
  const l = L[locale];
  const scored = view.rows.some((r) => r.scores !== null);
  return (
    <div class="scheduler-view">
      <p class="scheduler-selected" data-field="selected" data-node={view.selectedNode ?? ''}>{l.selected(view)}</p>
      <p class="widget-caption" data-field="counts">{l.counts(view)}</p>
      {view.message && <p class="widget-caption" data-field="message">{l.message}: <code>{view.message}</code></p>}
      {view.preemption?.nominatedNodeName && <p class="widget-caption">{l.preemption(view.preemption.nominatedNodeName)}</p>}
      <p class="scheduler-subhead">{l.filterTitle}</p>
      <FilterTable view={view} locale={locale} />
      <p class="scheduler-subhead">{l.scoreTitle}</p>
      {scored ? <ScoreTable view={view} locale={locale} /> : <p class="widget-caption">{l.noScore}</p>}
    </div>
  );
}

const FILE_OF: Record<string, string> = { nodes: 'nodes', pod: 'pod', profile: 'profile' };

/** Runs the sim and tags each error with the editor it belongs to (its message starts with "nodes: ", "pod: " or "profile: "). */
export function runScheduler(texts: Record<string, string>, seed: number): RunOutcome<SchedulingView> {
  const r = runSchedulerWidget({ nodesYaml: texts.nodes ?? '', podYaml: texts.pod ?? '', profileYaml: texts.profile ?? '' }, { seed });
  if (r.ok) return r;
  const errors: LocatedError[] = r.errors.map((e) => {
    const m = /^(nodes|pod|profile): /.exec(e.message);
    return m ? { ...e, file: FILE_OF[m[1]!] } : { ...e, file: 'nodes' };
  });
  return { ok: false, errors };
}

export default function Scheduler(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<SchedulingView>
      {...props}
      run={runScheduler}
      render={(view, locale) => <SchedulerView view={view} locale={locale} />}
    />
  );
}
