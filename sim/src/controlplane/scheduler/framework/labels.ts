/**
 * Label and node selectors, after apimachinery/pkg/apis/meta/v1/helpers.go
 * `LabelSelectorAsSelector`, apimachinery/pkg/labels/selector.go and
 * component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
 * (Kubernetes v1.34).
 *
 * Invariants kept from upstream: a nil LabelSelector selects nothing, an
 * empty one `{}` selects everything; NotIn and DoesNotExist match a missing
 * key; a NodeSelectorTerm with no requirements matches no node; terms are
 * ORed, requirements inside a term ANDed; Gt/Lt compare integers and fail on
 * a non-integer label value.
 */
import type { LabelSelector, LabelSelectorRequirement, NodeSelectorTerm } from '../../../api/objects.ts';

type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  key: string;
  operator: LabelSelectorRequirement['operator'];
  values: ReadonlySet<string>;
}

/** A compiled label selector. `nothing` matches no set of labels; `empty` (no requirements) matches every set. */
export interface Selector {
  readonly nothing: boolean;
  readonly requirements: readonly Requirement[];
}

export const NOTHING: Selector = { nothing: true, requirements: [] };
export const EVERYTHING: Selector = { nothing: false, requirements: [] };

export function selectorIsEmpty(s: Selector): boolean {
  return !s.nothing && s.requirements.length === 0;
}

export function compileLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return NOTHING;
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(ls.matchLabels ?? {})) {
    requirements.push({ key, operator: 'In', values: new Set([String(value)]) });
  }
  for (const r of ls.matchExpressions ?? []) {
    requirements.push({ key: r.key, operator: r.operator, values: new Set((r.values ?? []).map(String)) });
  }
  return { nothing: false, requirements };
}

/** Adds `key in (value)` requirements (used for matchLabelKeys). */
export function withRequirements(s: Selector, extra: Requirement[]): Selector {
  if (s.nothing || extra.length === 0) return s;
  return { nothing: false, requirements: [...s.requirements, ...extra] };
}

export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case 'In': return has && r.values.has(v!);
    case 'NotIn': return !has || !r.values.has(v!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || r.values.size !== 1) return false;
      const want = parseInt64([...r.values][0]!);
      const got = parseInt64(v!);
      if (want === null || got === null) return false;
      return r.operator === 'Gt' ? got > want : got < want;
    }
  }
}

function parseInt64(s: string): number | null {
  return /^[+-]?\d+$/.test(s) ? Number(s) : null;
}

export function selectorMatches(s: Selector, labels: Labels | undefined): boolean {
  if (s.nothing) return false;
  const l = labels ?? {};
  for (const r of s.requirements) if (!requirementMatches(r, l)) return false;
  return true;
}

/** A compiled NodeSelectorTerm: label requirements and `metadata.name` field requirements. */
interface CompiledTerm {
  labels: Requirement[];
  fields: Requirement[];
}

/** Node selector terms (ORed). An empty term list matches nothing. */
export class NodeSelector {
  readonly #terms: CompiledTerm[];

  constructor(terms: readonly NodeSelectorTerm[]) {
    this.#terms = [];
    for (const t of terms) {
      const c = compileTerm(t);
      if (c) this.#terms.push(c);
    }
  }

  match(nodeName: string, labels: Labels): boolean {
    for (const t of this.#terms) if (termMatches(t, nodeName, labels)) return true;
    return false;
  }
}

/** Preferred terms: the sum of weights of the terms the node matches (upstream PreferredSchedulingTerms.Score). */
export class PreferredSchedulingTerms {
  readonly #terms: { term: CompiledTerm; weight: number }[] = [];

  constructor(terms: readonly { weight: number; preference: NodeSelectorTerm }[]) {
    for (const t of terms) {
      if (!t.weight) continue;
      const c = compileTerm(t.preference);
      if (c) this.#terms.push({ term: c, weight: t.weight });
    }
  }

  get length(): number {
    return this.#terms.length;
  }

  score(nodeName: string, labels: Labels): number {
    let s = 0;
    for (const t of this.#terms) if (termMatches(t.term, nodeName, labels)) s += t.weight;
    return s;
  }
}

function compileTerm(t: NodeSelectorTerm): CompiledTerm | null {
  const toReq = (r: LabelSelectorRequirement): Requirement => ({ key: r.key, operator: r.operator, values: new Set((r.values ?? []).map(String)) });
  const labels = (t.matchExpressions ?? []).map(toReq);
  const fields = (t.matchFields ?? []).map(toReq);
  // upstream drops empty terms: they match no objects.
  if (labels.length === 0 && fields.length === 0) return null;
  return { labels, fields };
}

function termMatches(t: CompiledTerm, nodeName: string, labels: Labels): boolean {
  for (const r of t.labels) if (!requirementMatches(r, labels)) return false;
  for (const r of t.fields) {
    // Only metadata.name is a supported field (API validation enforces it).
    if (r.key !== 'metadata.name') return false;
    if (!requirementMatches(r, { 'metadata.name': nodeName })) return false;
  }
  return true;
}

/**
 * upstream nodeaffinity.GetRequiredNodeAffinity: the pod's nodeSelector AND
 * its requiredDuringSchedulingIgnoredDuringExecution terms. `null` means no
 * constraint (every node matches).
 */
export class RequiredNodeAffinity {
  readonly #nodeSelector: [string, string][];
  readonly #affinity: NodeSelector | null;

  constructor(nodeSelector: Record<string, string> | undefined, terms: readonly NodeSelectorTerm[] | undefined) {
    this.#nodeSelector = Object.entries(nodeSelector ?? {}).map(([k, v]) => [k, String(v)]);
    this.#affinity = terms ? new NodeSelector(terms) : null;
  }

  get isEmpty(): boolean {
    return this.#nodeSelector.length === 0 && this.#affinity === null;
  }

  match(nodeName: string, labels: Labels): boolean {
    for (const [k, v] of this.#nodeSelector) if (labels[k] !== v) return false;
    return this.#affinity === null || this.#affinity.match(nodeName, labels);
  }
}
