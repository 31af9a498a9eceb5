/**
 * Parses and validates a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1)
 * from YAML, after pkg/scheduler/apis/config/v1/defaults.go,
 * pkg/scheduler/apis/config/validation/validation.go and
 * validation_pluginargs.go (Kubernetes v1.34).
 *
 * Decoding is strict like upstream's: unknown fields are errors. Every error
 * carries the field path (`profiles[0].plugins.score.enabled[1].weight`) and
 * its line/column. Empty input means the default configuration.
 */
import { fail, ok, type Result, type SimError } from '../../../core/result.ts';
import { parseYaml, type LocatedYaml } from '../../../api/yaml.ts';
import { Framework, FrameworkError } from '../framework/runtime.ts';
import { Snapshot } from '../framework/snapshot.ts';
import { registry, type PluginRef } from '../plugins/registry.ts';
import { defaultFitArgs, type NodeResourcesFitArgs } from '../plugins/noderesources/fit.ts';
import { defaultBalancedAllocationArgs } from '../plugins/noderesources/balanced_allocation.ts';
import { defaultPodTopologySpreadArgs } from '../plugins/podtopologyspread/common.ts';
import { defaultInterPodAffinityArgs } from '../plugins/interpodaffinity/scoring.ts';
import { defaultPreemptionArgs } from '../plugins/defaultpreemption/default_preemption.ts';
import * as names from '../plugins/names.ts';
import {
  defaultConfiguration,
  emptyPlugins,
  mergePlugins,
  PLUGIN_SET_KEYS,
  type KubeSchedulerConfiguration,
  type KubeSchedulerProfile,
  type PluginSet,
} from './types.ts';

export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';
/** Larger weights are refused as absurd (upstream bounds the total by MaxTotalScore). */
export const MAX_PLUGIN_WEIGHT = 1_000_000;
const MAX_PROFILES = 16;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects located errors while walking the document. */
class Reader {
  readonly errors: SimError[] = [];
  readonly y: LocatedYaml | null;
  constructor(y: LocatedYaml | null) {
    this.y = y;
  }

  error(path: string, message: string, code = 'FIELD_INVALID'): void {
    this.errors.push(this.y ? this.y.errorAt(path, code, message) : { code, message, path });
  }

  object(v: unknown, path: string, allowed: readonly string[]): Obj | null {
    if (v === undefined || v === null) return null;
    if (!isObj(v)) {
      this.error(path, `${path || 'document'}: must be a mapping`);
      return null;
    }
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.error(path ? `${path}.${k}` : k, `unknown field "${k}"`, 'FIELD_UNKNOWN');
    return v;
  }

  list(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.error(path, `${path}: must be a list`);
      return [];
    }
    return v;
  }

  int(v: unknown, path: string, min: number, max: number): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.error(path, `${path}: must be an integer`);
      return undefined;
    }
    if (v < min || v > max) {
      this.error(path, `${path}: Invalid value: ${v}: not in valid range [${min}-${max}]`);
      return undefined;
    }
    return v;
  }

  str(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.error(path, `${path}: must be a string`);
      return undefined;
    }
    return v;
  }

  bool(v: unknown, path: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.error(path, `${path}: must be true or false`);
      return undefined;
    }
    return v;
  }
}

/** Parses the YAML text of a KubeSchedulerConfiguration. */
export function parseSchedulerConfiguration(text: string): Result<KubeSchedulerConfiguration> {
  if (text.trim() === '') return ok(defaultConfiguration());
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  if (parsed.value.docs.length > 1) return fail(parsed.value.errorAt('', 'FIELD_INVALID', 'expected one KubeSchedulerConfiguration document', 1));
  return schedulerConfigurationFrom(parsed.value.docs[0], parsed.value);
}

/** Validates an already-parsed object (e.g. JSON) as a KubeSchedulerConfiguration. */
export function schedulerConfigurationFrom(doc: unknown, located: LocatedYaml | null = null): Result<KubeSchedulerConfiguration> {
  const r = new Reader(located);
  const cfg = defaultConfiguration();
  const top = r.object(doc, '', ['apiVersion', 'kind', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds', 'profiles', 'parallelism', 'leaderElection', 'clientConnection']);
  if (!top) {
    if (doc !== undefined && doc !== null) return fail(r.errors);
    return ok(cfg);
  }
  if (top.apiVersion !== undefined && top.apiVersion !== SCHEDULER_CONFIG_API_VERSION) {
    r.error('apiVersion', `apiVersion: Unsupported value: "${String(top.apiVersion)}": supported values: "${SCHEDULER_CONFIG_API_VERSION}"`);
  }
  if (top.kind !== undefined && top.kind !== 'KubeSchedulerConfiguration') r.error('kind', `kind: Unsupported value: "${String(top.kind)}": supported values: "KubeSchedulerConfiguration"`);
  cfg.percentageOfNodesToScore = r.int(top.percentageOfNodesToScore, 'percentageOfNodesToScore', 0, 100) ?? 0;
  cfg.podInitialBackoffSeconds = r.int(top.podInitialBackoffSeconds, 'podInitialBackoffSeconds', 1, 3600) ?? 1;
  cfg.podMaxBackoffSeconds = r.int(top.podMaxBackoffSeconds, 'podMaxBackoffSeconds', 1, 3600) ?? 10;
  if (cfg.podMaxBackoffSeconds < cfg.podInitialBackoffSeconds) {
    r.error('podMaxBackoffSeconds', `podMaxBackoffSeconds: Invalid value: ${cfg.podMaxBackoffSeconds}: must be greater than or equal to PodInitialBackoffSeconds`);
  }
  const profiles = r.list(top.profiles, 'profiles');
  if (profiles.length > MAX_PROFILES) r.error('profiles', `profiles: at most ${MAX_PROFILES} profiles are supported here`, 'LIMIT_EXCEEDED');
  if (profiles.length > 0) {
    cfg.profiles = [];
    const seen = new Set<string>();
    profiles.slice(0, MAX_PROFILES).forEach((p, i) => {
      const prof = parseProfile(r, p, `profiles[${i}]`);
      if (seen.has(prof.schedulerName)) r.error(`profiles[${i}].schedulerName`, `profiles[${i}].schedulerName: Duplicate value: "${prof.schedulerName}"`);
      seen.add(prof.schedulerName);
      cfg.profiles.push(prof);
    });
  }
  if (r.errors.length) return fail(r.errors);
  // Building each framework checks what upstream checks at NewFramework.
  cfg.profiles.forEach((prof, i) => {
    try {
      const fwk = new Framework(prof, new Snapshot(), { randomInt: () => 0 });
      if (fwk.queueSortPlugins.length !== 1) r.error(`profiles[${i}].plugins`, `one queue sort plugin required for profile with scheduler name "${prof.schedulerName}"`);
      if (fwk.bindPlugins.length === 0) r.error(`profiles[${i}].plugins`, `at least one bind plugin is needed for profile with scheduler name "${prof.schedulerName}"`);
    } catch (e) {
      if (e instanceof FrameworkError) r.error(`profiles[${i}].plugins`, e.message);
      else throw e;
    }
  });
  return r.errors.length ? fail(r.errors) : ok(cfg);
}

function parseProfile(r: Reader, v: unknown, path: string): KubeSchedulerProfile {
  const o = r.object(v, path, ['schedulerName', 'percentageOfNodesToScore', 'plugins', 'pluginConfig']) ?? {};
  const custom = emptyPlugins();
  const plugins = r.object(o.plugins, `${path}.plugins`, PLUGIN_SET_KEYS);
  if (plugins) {
    for (const k of PLUGIN_SET_KEYS) custom[k] = parsePluginSet(r, plugins[k], `${path}.plugins.${k}`);
  }
  const prof: KubeSchedulerProfile = {
    schedulerName: r.str(o.schedulerName, `${path}.schedulerName`) ?? 'default-scheduler',
    plugins: mergePlugins(custom),
    pluginConfig: new Map(),
  };
  const pct = r.int(o.percentageOfNodesToScore, `${path}.percentageOfNodesToScore`, 0, 100);
  if (pct !== undefined) prof.percentageOfNodesToScore = pct;
  r.list(o.pluginConfig, `${path}.pluginConfig`).forEach((pc, i) => {
    const p = `${path}.pluginConfig[${i}]`;
    const c = r.object(pc, p, ['name', 'args']);
    if (!c) return;
    const name = r.str(c.name, `${p}.name`);
    if (!name) return r.error(`${p}.name`, `${p}.name: Required value`);
    if (prof.pluginConfig.has(name)) return r.error(`${p}.name`, `${p}.name: Duplicate value: "${name}"`);
    prof.pluginConfig.set(name, parseArgs(r, name, c.args, `${p}.args`));
  });
  return prof;
}

function parsePluginSet(r: Reader, v: unknown, path: string): PluginSet {
  const o = r.object(v, path, ['enabled', 'disabled']);
  const set: PluginSet = { enabled: [], disabled: [] };
  if (!o) return set;
  for (const which of ['enabled', 'disabled'] as const) {
    r.list(o[which], `${path}.${which}`).forEach((e, i) => {
      const p = `${path}.${which}[${i}]`;
      const x = r.object(e, p, ['name', 'weight']);
      if (!x) return;
      const name = r.str(x.name, `${p}.name`);
      if (!name) return r.error(`${p}.name`, `${p}.name: Required value`);
      if (name !== '*' && !registry.has(name)) return r.error(`${p}.name`, `plugin "${name}" does not exist (known: ${[...registry.keys()].join(', ')})`, 'PLUGIN_UNKNOWN');
      const ref: PluginRef = { name };
      const w = r.int(x.weight, `${p}.weight`, 0, MAX_PLUGIN_WEIGHT);
      if (w !== undefined) ref.weight = w;
      set[which].push(ref);
    });
  }
  return set;
}

function parseArgs(r: Reader, name: string, v: unknown, path: string): unknown {
  switch (name) {
    case names.NodeResourcesFit: return parseFitArgs(r, v, path);
    case names.NodeResourcesBalancedAllocation: {
      const o = r.object(v, path, ['resources']);
      const args = defaultBalancedAllocationArgs();
      if (o?.resources !== undefined) args.resources = parseResources(r, o.resources, `${path}.resources`);
      return args;
    }
    case names.PodTopologySpread: {
      const o = r.object(v, path, ['defaultingType', 'defaultConstraints']);
      const args = defaultPodTopologySpreadArgs();
      const dt = r.str(o?.defaultingType, `${path}.defaultingType`);
      if (dt !== undefined && dt !== 'System' && dt !== 'List') r.error(`${path}.defaultingType`, `${path}.defaultingType: Unsupported value: "${dt}": supported values: "List", "System"`);
      if (dt === 'List' || dt === 'System') args.defaultingType = dt;
      const cs = r.list(o?.defaultConstraints, `${path}.defaultConstraints`);
      cs.forEach((c, i) => {
        const p = `${path}.defaultConstraints[${i}]`;
        const x = r.object(c, p, ['maxSkew', 'topologyKey', 'whenUnsatisfiable', 'labelSelector', 'minDomains', 'nodeAffinityPolicy', 'nodeTaintsPolicy', 'matchLabelKeys']);
        if (!x) return;
        if (x.labelSelector !== undefined) r.error(`${p}.labelSelector`, `${p}.labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod`);
        const maxSkew = r.int(x.maxSkew, `${p}.maxSkew`, 1, 1_000_000) ?? 1;
        const topologyKey = r.str(x.topologyKey, `${p}.topologyKey`) ?? '';
        if (!topologyKey) r.error(`${p}.topologyKey`, `${p}.topologyKey: Required value: can not be empty`);
        const when = r.str(x.whenUnsatisfiable, `${p}.whenUnsatisfiable`);
        if (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway') r.error(`${p}.whenUnsatisfiable`, `${p}.whenUnsatisfiable: Unsupported value: "${when ?? ''}": supported values: "DoNotSchedule", "ScheduleAnyway"`);
        args.defaultConstraints.push({ maxSkew, topologyKey, whenUnsatisfiable: when === 'DoNotSchedule' ? 'DoNotSchedule' : 'ScheduleAnyway' });
      });
      if (args.defaultingType === 'System' && cs.length > 0) r.error(`${path}.defaultingType`, `${path}.defaultingType: Invalid value: "System": when .defaultConstraints are not empty`);
      return args;
    }
    case names.InterPodAffinity: {
      const o = r.object(v, path, ['hardPodAffinityWeight', 'ignorePreferredTermsOfExistingPods']);
      const args = defaultInterPodAffinityArgs();
      args.hardPodAffinityWeight = r.int(o?.hardPodAffinityWeight, `${path}.hardPodAffinityWeight`, 0, 100) ?? 1;
      args.ignorePreferredTermsOfExistingPods = r.bool(o?.ignorePreferredTermsOfExistingPods, `${path}.ignorePreferredTermsOfExistingPods`) ?? false;
      return args;
    }
    case names.DefaultPreemption: {
      const o = r.object(v, path, ['minCandidateNodesPercentage', 'minCandidateNodesAbsolute']);
      const args = defaultPreemptionArgs();
      args.minCandidateNodesPercentage = r.int(o?.minCandidateNodesPercentage, `${path}.minCandidateNodesPercentage`, 0, 100) ?? 10;
      args.minCandidateNodesAbsolute = r.int(o?.minCandidateNodesAbsolute, `${path}.minCandidateNodesAbsolute`, 0, 1_000_000) ?? 100;
      return args;
    }
    case names.NodeAffinity: {
      const o = r.object(v, path, ['addedAffinity']);
      return o?.addedAffinity !== undefined ? { addedAffinity: o.addedAffinity } : {};
    }
    default:
      if (v !== undefined && v !== null && !(isObj(v) && Object.keys(v).length === 0)) r.error(path, `${path}: plugin "${name}" takes no args`, 'FIELD_UNKNOWN');
      return undefined;
  }
}

function parseResources(r: Reader, v: unknown, path: string): { name: string; weight: number }[] {
  return r.list(v, path).flatMap((e, i) => {
    const p = `${path}[${i}]`;
    const x = r.object(e, p, ['name', 'weight']);
    if (!x) return [];
    const name = r.str(x.name, `${p}.name`) ?? '';
    if (!name) r.error(`${p}.name`, `${p}.name: Required value`);
    let weight = 1;
    if (x.weight !== undefined) {
      if (typeof x.weight !== 'number' || !Number.isInteger(x.weight) || x.weight <= 0 || x.weight > 100) {
        r.error(`${p}.weight`, `${p}.weight: Invalid value: ${String(x.weight)}: resource weight of ${name} should be in range [1, 100]`);
      } else weight = x.weight;
    }
    return [{ name, weight }];
  });
}

function parseFitArgs(r: Reader, v: unknown, path: string): NodeResourcesFitArgs {
  const args = defaultFitArgs();
  const o = r.object(v, path, ['scoringStrategy', 'ignoredResources', 'ignoredResourceGroups']);
  if (!o) return args;
  args.ignoredResources = r.list(o.ignoredResources, `${path}.ignoredResources`).map(String);
  args.ignoredResourceGroups = r.list(o.ignoredResourceGroups, `${path}.ignoredResourceGroups`).map(String);
  const p = `${path}.scoringStrategy`;
  const s = r.object(o.scoringStrategy, p, ['type', 'resources', 'requestedToCapacityRatio']);
  if (!s) return args;
  const type = r.str(s.type, `${p}.type`) ?? 'LeastAllocated';
  if (type !== 'LeastAllocated' && type !== 'MostAllocated' && type !== 'RequestedToCapacityRatio') {
    r.error(`${p}.type`, `${p}.type: Unsupported value: "${type}": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"`);
    return args;
  }
  args.scoringStrategy.type = type;
  if (s.resources !== undefined) args.scoringStrategy.resources = parseResources(r, s.resources, `${p}.resources`);
  const rtcr = r.object(s.requestedToCapacityRatio, `${p}.requestedToCapacityRatio`, ['shape']);
  if (type === 'RequestedToCapacityRatio') {
    const sp = `${p}.requestedToCapacityRatio.shape`;
    const shape = r.list(rtcr?.shape, sp);
    if (shape.length === 0) r.error(sp, `${sp}: Required value: at least one point must be specified`);
    const points = shape.flatMap((e, i) => {
      const x = r.object(e, `${sp}[${i}]`, ['utilization', 'score']);
      if (!x) return [];
      const utilization = r.int(x.utilization, `${sp}[${i}].utilization`, 0, 100);
      const score = r.int(x.score, `${sp}[${i}].score`, 0, 10);
      if (utilization === undefined || score === undefined) {
        if (x.utilization === undefined) r.error(`${sp}[${i}].utilization`, `${sp}[${i}].utilization: Required value`);
        if (x.score === undefined) r.error(`${sp}[${i}].score`, `${sp}[${i}].score: Required value`);
        return [];
      }
      return [{ utilization, score }];
    });
    for (let i = 1; i < points.length; i++) {
      if (points[i]!.utilization <= points[i - 1]!.utilization) {
        r.error(`${sp}[${i}].utilization`, `${sp}[${i}].utilization: Invalid value: ${points[i]!.utilization}: utilization values must be sorted in increasing order`);
        break;
      }
    }
    args.scoringStrategy.requestedToCapacityRatio = { shape: points };
  }
  return args;
}
