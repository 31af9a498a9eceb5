/**
 * Layer 3 "kube-proxy": edit a Service and its EndpointSlice; see the chains
 * kube-proxy generates (iptables-save as the Layer 1 netfilter model prints
 * it), the probability ladder, where 10,000 connections land when that
 * netfilter model executes the rules, and the same connections under IPVS
 * (rr, lc, sh) and nftables. Layout and wiring only; the model is sim's
 * runKubeProxy (sim/src/node/kube-proxy).
 */
import { runKubeProxy, type KubeProxyView } from '@sim';
import { SnippetShell, type SnippetFile, type RunOutcome } from '../shell/SnippetShell.tsx';
import type { Locale } from '../../i18n/ui.ts';
import './widget.css';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const L = {
  ja: {
    summary: (v: KubeProxyView) => `${v.distribution.target} への新しい接続 ${v.distribution.connections.toLocaleString('ja-JP')} 本を、kube-proxy が書いたルールのまま Layer 1 の netfilter モデルで実行した結果`,
    endpoints: 'エンドポイントごとのルールと行き先', endpoint: 'エンドポイント', chain: 'KUBE-SEP チェーン', prob: '--probability', cond: 'そのルールに届いた接続のうち一致した割合', count: '接続数', share: '全体の割合',
    last: '（最後: 無条件）', unmatched: (n: number) => `どのエンドポイントにも DNAT されなかった接続: ${n} 本`,
    chart: (v: KubeProxyView) => `接続の行き先: ` + v.distribution.counts.map((c) => `${c.endpoint} に ${c.count} 本 (${pct(c.share)})`).join('、'),
    compare: '同じ接続をほかのデータプレーンで', plane: 'データプレーン', chi: 'χ²',
    first: '最初の接続の SYN が通ったルール（NetfilterHost のトレース）', save: 'iptables-save（netfilter モデルが出力）', restore: 'kube-proxy が書いた iptables-restore --noflush の入力', ipvs: 'ipvsadm -Ln（IPVS モード）', nft: 'nft（nftables モード）',
    noEndpoints: 'エンドポイントがありません（ready な endpoints がない Service には DNAT ルールが作られません）',
  },
  en: {
    summary: (v: KubeProxyView) => `${v.distribution.connections.toLocaleString('en-US')} new connections to ${v.distribution.target}, executed by the Layer 1 netfilter model with the rules kube-proxy wrote`,
    endpoints: 'Rules and outcome per endpoint', endpoint: 'Endpoint', chain: 'KUBE-SEP chain', prob: '--probability', cond: 'Matched / reached this rule', count: 'Connections', share: 'Share of all',
    last: '(last: unconditional)', unmatched: (n: number) => `Connections not DNATed to any endpoint: ${n}`,
    chart: (v: KubeProxyView) => `Where connections landed: ` + v.distribution.counts.map((c) => `${c.count} to ${c.endpoint} (${pct(c.share)})`).join('; '),
    compare: 'The same connections under other data planes', plane: 'Data plane', chi: 'χ²',
    first: 'Rules the first connection\'s SYN passed (NetfilterHost trace)', save: 'iptables-save (printed by the netfilter model)', restore: 'What kube-proxy fed to iptables-restore --noflush', ipvs: 'ipvsadm -Ln (IPVS mode)', nft: 'nft (nftables mode)',
    noEndpoints: 'No endpoints (a Service without ready endpoints gets no DNAT rules)',
  },
};

function Chart({ view, locale }: { view: KubeProxyView; locale: Locale }) {
  const counts = view.distribution.counts;
  const w = 480;
  const rowH = 24;
  const labelW = 140;
  const max = Math.max(1, ...counts.map((c) => c.count));
  return (
    <svg class="kube-proxy-chart" viewBox={`0 0 ${w} ${counts.length * rowH + 4}`} role="img" aria-label={L[locale].chart(view)}>
      {counts.map((c, k) => {
        const bw = ((w - labelW - 110) * c.count) / max;
        return (
          <g key={c.endpoint}>
            <text x={0} y={k * rowH + 16} class="kube-proxy-label">{c.endpoint}</text>
            <rect x={labelW} y={k * rowH + 4} height={rowH - 8} width={bw} class="kube-proxy-bar" />
            <text x={labelW + bw + 4} y={k * rowH + 16} class="kube-proxy-label">{c.count} ({pct(c.share)})</text>
          </g>
        );
      })}
    </svg>
  );
}

export function KubeProxyResult({ view, locale }: { view: KubeProxyView; locale: Locale }) {
  const l = L[locale];
  const sp = view.servicePorts.find((s) => `${s.clusterIP}:${s.port}` === view.distribution.target) ?? view.servicePorts[0]!;
  let reached = view.distribution.connections;
  const rows = view.distribution.counts.map((c, i) => {
    const cond = reached ? c.count / reached : 0;
    reached -= c.count;
    return { ...c, chain: sp.endpoints[i]?.chain ?? '', probability: sp.endpoints[i]?.probability ?? null, cond };
  });
  const steps = (view.firstConnection?.steps ?? []).filter((s) => s.kind === 'hook' || s.kind === 'jump' || s.kind === 'nat' || s.kind === 'route' || (s.kind === 'rule' && s.matched));
  return (
    <div class="kube-proxy-view">
      <p class="widget-caption" data-field="summary">{l.summary(view)} <code>{sp.chain}</code></p>
      {rows.length === 0 ? <p data-field="no-endpoints">{l.noEndpoints}</p> : <Chart view={view} locale={locale} />}
      <div class="table-scroll" tabIndex={0} role="region" aria-label={l.endpoints}>
        <table class="widget-table">
          <thead><tr><th scope="col">{l.endpoint}</th><th scope="col">{l.chain}</th><th scope="col">{l.prob}</th><th scope="col">{l.cond}</th><th scope="col">{l.count}</th><th scope="col">{l.share}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.endpoint} data-endpoint={r.endpoint}>
                <th scope="row"><code>{r.endpoint}</code></th>
                <td><code>{r.chain}</code></td>
                <td data-field="probability">{r.probability ?? l.last}</td>
                <td data-field="conditional">{r.cond.toFixed(3)}</td>
                <td data-field="count">{r.count}</td>
                <td data-field="share">{pct(r.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {view.distribution.unmatched > 0 && <p class="widget-caption" data-field="unmatched">{l.unmatched(view.distribution.unmatched)}</p>}
      {view.comparison && (
        <>
          <h3 class="kube-proxy-h">{l.compare}</h3>
          <div class="table-scroll" tabIndex={0} role="region" aria-label={l.compare}>
            <table class="widget-table">
              <thead><tr><th scope="col">{l.plane}</th>{view.distribution.counts.map((c) => <th scope="col" key={c.endpoint}><code>{c.endpoint}</code></th>)}<th scope="col">{l.chi}</th></tr></thead>
              <tbody>
                {view.comparison.map((c) => (
                  <tr key={c.label} data-plane={c.label}>
                    <th scope="row">{c.label}</th>
                    {c.distribution.counts.map((x) => <td key={x.endpoint} data-endpoint={x.endpoint}>{x.count}</td>)}
                    <td data-field="chi">{c.distribution.chiSquare.toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {steps.length > 0 && (
        <details class="kube-proxy-details">
          <summary>{l.first}</summary>
          <ol class="kube-proxy-steps" data-field="first-trace">{steps.map((s, k) => <li key={k} class={`kube-proxy-${s.kind}`}>{s.kind === 'rule' ? <code>{s.rule}</code> : s.text}</li>)}</ol>
        </details>
      )}
      <details class="kube-proxy-details" open>
        <summary>{l.save}</summary>
        <pre data-field="iptables-save" tabIndex={0}>{view.rules}</pre>
      </details>
      <details class="kube-proxy-details">
        <summary>{l.restore}</summary>
        <pre data-field="iptables-restore" tabIndex={0}>{view.iptablesRestore}</pre>
      </details>
      {view.comparison && (
        <>
          <details class="kube-proxy-details">
            <summary>{l.ipvs}</summary>
            <pre data-field="ipvsadm" tabIndex={0}>{view.comparison.find((c) => c.label === 'IPVS rr')?.rules}</pre>
          </details>
          <details class="kube-proxy-details">
            <summary>{l.nft}</summary>
            <pre data-field="nft" tabIndex={0}>{view.comparison.find((c) => c.mode === 'nftables')?.rules}</pre>
          </details>
        </>
      )}
    </div>
  );
}

export function runKubeProxyWidget(texts: Record<string, string>, seed: number): RunOutcome<KubeProxyView> {
  return runKubeProxy(texts.yaml ?? '', { seed, compare: true });
}

export default function KubeProxy(props: { widgetId: string; locale: Locale; title: string; files: SnippetFile[]; seed?: number; usesSeed?: boolean }) {
  return (
    <SnippetShell<KubeProxyView>
      {...props}
      run={runKubeProxyWidget}
      render={(view, locale) => <KubeProxyResult view={view} locale={locale} />}
    />
  );
}
