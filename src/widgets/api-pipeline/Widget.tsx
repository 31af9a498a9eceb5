/**
 * Layer 3 "kube-apiserver": edit who calls (request), the objects an admin
 * created first (RBAC, Namespace with Pod Security labels, LimitRange,
 * ResourceQuota) and the manifest; see every pipeline stage, where and why
 * the request stops, the HTTP status line and message, what defaulting and
 * admission changed, and the etcd key and revision written.
 * Layout and wiring only; the model is sim's runApiRequest.
 */
import { runApiRequest, type PipelineView, type PipelineStep } from '@sim';
import { SnippetShell, type SnippetFile } from '../shell/SnippetShell.tsx';
import { withFile } from './errors.ts';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

type Stage = PipelineStep['stage'];

const L = {
  ja: {
    who: (v: PipelineView) => `${v.request.user || '(認証されず)'}${v.request.groups.length ? ` (グループ ${v.request.groups.join(', ')})` : ''} が ${v.request.namespace ? `名前空間 ${v.request.namespace} の ` : ''}${v.request.resource} を ${v.request.verb}`,
    stagesLabel: 'パイプラインの各段階', stage: '段階', plugin: 'プラグイン', outcome: '結果', detail: '内容',
    outcomes: { pass: '通過', fail: '拒否', skip: '対象外' } as Record<PipelineStep['outcome'], string>,
    stages: {
      authentication: '認証', authorization: '認可', decode: 'デコード', defaulting: 'デフォルト値',
      'mutating-admission': '変更アドミッション', validation: 'スキーマ検証', 'validating-admission': '検証アドミッション',
      storage: 'etcd への保存', 'watch-cache': 'watch キャッシュ',
    } as Record<Stage, string>,
    stoppedAt: (s: string, p?: string) => `ここで止まりました: ${s}${p ? ` (${p})` : ''}`,
    passedAll: '全段階を通過しました',
    message: 'メッセージ', reason: 'reason', causes: 'フィールドのエラー (マニフェスト内の位置)', at: (l: number, c?: number) => `マニフェスト ${l} 行${c ? ` ${c} 列` : ''}`,
    warnings: '警告 (Warning ヘッダー)',
    mutations: (n: number) => `apiserver が設定・変更したフィールド (${n} 個)`, mutationsLabel: '変更されたフィールド', field: 'フィールド', value: '値',
    etcd: (key: string, rev: number) => `etcd に書き込み: キー ${key}、revision ${rev}`, etcdValue: '保存された値 (実物は Protocol Buffers、ここでは JSON)',
    noEtcd: 'etcd には何も書き込まれていません',
    setup: (n: number) => `管理者が先に作ったオブジェクト (${n} 個)`, setupLabel: '先に作ったオブジェクト', kind: '種類', name: '名前', code: '応答', revision: 'revision',
    items: '返されたオブジェクト',
  },
  en: {
    who: (v: PipelineView) => `${v.request.user || '(not authenticated)'}${v.request.groups.length ? ` (groups ${v.request.groups.join(', ')})` : ''}: ${v.request.verb} ${v.request.resource}${v.request.namespace ? ` in namespace ${v.request.namespace}` : ''}`,
    stagesLabel: 'Pipeline stages', stage: 'Stage', plugin: 'Plugin', outcome: 'Outcome', detail: 'Detail',
    outcomes: { pass: 'passed', fail: 'rejected', skip: 'skipped' } as Record<PipelineStep['outcome'], string>,
    stages: {
      authentication: 'authentication', authorization: 'authorization', decode: 'decode', defaulting: 'defaulting',
      'mutating-admission': 'mutating admission', validation: 'schema validation', 'validating-admission': 'validating admission',
      storage: 'storage in etcd', 'watch-cache': 'watch cache',
    } as Record<Stage, string>,
    stoppedAt: (s: string, p?: string) => `Stopped at: ${s}${p ? ` (${p})` : ''}`,
    passedAll: 'Passed every stage',
    message: 'Message', reason: 'reason', causes: 'Field errors (where in the manifest)', at: (l: number, c?: number) => `manifest line ${l}${c ? `, column ${c}` : ''}`,
    warnings: 'Warnings (Warning headers)',
    mutations: (n: number) => `Fields the apiserver set or changed (${n})`, mutationsLabel: 'Changed fields', field: 'Field', value: 'Value',
    etcd: (key: string, rev: number) => `Written to etcd: key ${key}, revision ${rev}`, etcdValue: 'Stored value (Protocol Buffers in reality; JSON here)',
    noEtcd: 'Nothing was written to etcd',
    setup: (n: number) => `Objects the admin created first (${n})`, setupLabel: 'Objects created first', kind: 'Kind', name: 'Name', code: 'Answer', revision: 'revision',
    items: 'Objects returned',
  },
};

const short = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
};

export function ApiPipelineView({ view, locale }: { view: PipelineView; locale: Locale }) {
  const l = L[locale];
  const r = view.response;
  const failed = view.stages.find((s) => s.outcome === 'fail');
  const ok = r.code < 300;
  return (
    <div class="api-pipeline-view">
      <p class="widget-caption" data-field="who">{l.who(view)}</p>
      <div class={`api-pipeline-status ${ok ? 'is-ok' : 'is-fail'}`}>
        <p class="api-pipeline-statusline" data-field="status-line"><code>{r.statusLine}</code></p>
        {r.message && <p data-field="message">{l.message}: <code>{r.message}</code></p>}
        {r.reason && <p class="widget-caption">{l.reason}: <code data-field="reason">{r.reason}</code></p>}
        <p class="widget-caption" data-field="stopped">{failed ? l.stoppedAt(l.stages[failed.stage], failed.plugin) : l.passedAll}</p>
      </div>
      {r.causes.length > 0 && (
        <div class="api-pipeline-causes">
          <p>{l.causes}</p>
          <ul>
            {r.causes.map((c, i) => (
              <li key={i} data-field="cause"><code>{c.field}</code>: {c.message}{c.line !== undefined ? ` (${l.at(c.line, c.column)})` : ''}</li>
            ))}
          </ul>
        </div>
      )}
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.stagesLabel}>
        <table class="widget-table api-pipeline-stages">
          <thead>
            <tr><th scope="col">{l.stage}</th><th scope="col">{l.plugin}</th><th scope="col">{l.outcome}</th><th scope="col">{l.detail}</th></tr>
          </thead>
          <tbody>
            {view.stages.map((s, i) => (
              <tr key={i} data-stage={s.stage} data-plugin={s.plugin ?? ''} data-outcome={s.outcome} class={`is-${s.outcome}`}>
                <th scope="row">{l.stages[s.stage]}</th>
                <td>{s.plugin ? <code>{s.plugin}</code> : ''}</td>
                <td class="api-pipeline-outcome">{s.outcome === 'pass' ? '✓ ' : s.outcome === 'fail' ? '✗ ' : '– '}{l.outcomes[s.outcome]}</td>
                <td>{s.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {view.warnings.length > 0 && (
        <div class="api-pipeline-warnings">
          <p>{l.warnings}</p>
          <ul>{view.warnings.map((w, i) => <li key={i} data-field="warning"><code>{w}</code></li>)}</ul>
        </div>
      )}
      <p class="widget-caption" data-field="etcd">{view.etcd ? l.etcd(view.etcd.key, view.etcd.revision) : l.noEtcd}</p>
      {view.items && <p class="widget-caption">{l.items}: {view.items.join(', ') || '—'}</p>}
      {view.mutations.length > 0 && (
        <details>
          <summary>{l.mutations(view.mutations.length)}</summary>
          <div class="table-scroll" tabIndex={0} role="region" aria-label={l.mutationsLabel}>
            <table class="widget-table">
              <thead><tr><th scope="col">{l.field}</th><th scope="col">{l.value}</th></tr></thead>
              <tbody>
                {view.mutations.map((m) => (
                  <tr key={m.path} data-mutation={m.path}><th scope="row"><code>{m.path}</code></th><td><code>{short(m.to)}</code></td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {view.etcd?.value && (
        <details>
          <summary>{l.etcdValue}</summary>
          <pre class="api-pipeline-json">{JSON.stringify(JSON.parse(view.etcd.value), null, 2)}</pre>
        </details>
      )}
      <details>
        <summary>{l.setup(view.setup.length)}</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={l.setupLabel}>
          <table class="widget-table">
            <thead><tr><th scope="col">{l.kind}</th><th scope="col">{l.name}</th><th scope="col">{l.code}</th><th scope="col">{l.revision}</th></tr></thead>
            <tbody>
              {view.setup.map((s, i) => (
                <tr key={i} data-setup={`${s.kind}/${s.name}`}>
                  <th scope="row">{s.kind}</th><td>{s.name}</td><td>{s.code}{s.message ? ` ${s.message}` : ''}</td><td>{s.revision ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

export default function ApiPipeline(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<PipelineView>
      {...props}
      run={(texts, seed) => {
        const r = runApiRequest({ request: texts.request ?? '', rbac: texts.rbac ?? '', manifest: texts.manifest ?? '' }, { seed });
        return r.ok ? r : { ok: false, errors: withFile(r.errors) };
      }}
      render={(view, locale) => <ApiPipelineView view={view} locale={locale} />}
    />
  );
}
