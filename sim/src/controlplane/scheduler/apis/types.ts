/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) as the sim
 * models it, after staging/src/k8s.io/kube-scheduler/config/v1/types.go and
 * pkg/scheduler/apis/config/v1/defaults.go (Kubernetes v1.34).
 *
 * Defaults: percentageOfNodesToScore 0 (adaptive), podInitialBackoffSeconds 1,
 * podMaxBackoffSeconds 10, one profile "default-scheduler" whose plugins are
 * the default MultiPoint set merged with the user's enabled/disabled lists.
 */
import type { ExtensionPoint } from '../framework/interface.ts';
import { DEFAULT_PLUGINS, type PluginRef } from '../plugins/registry.ts';

export interface PluginSet {
  enabled: PluginRef[];
  disabled: PluginRef[];
}

export type Plugins = Record<'multiPoint' | ExtensionPoint, PluginSet>;

export interface KubeSchedulerProfile {
  schedulerName: string;
  /** Profile-level override of the global percentage (undefined = use global). */
  percentageOfNodesToScore?: number;
  plugins: Plugins;
  /** Plugin name → args (already defaulted for known plugins). */
  pluginConfig: Map<string, unknown>;
}

export interface KubeSchedulerConfiguration {
  percentageOfNodesToScore: number;
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
  profiles: KubeSchedulerProfile[];
}

export const PLUGIN_SET_KEYS = [
  'multiPoint',
  'preEnqueue',
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
] as const;

export function emptyPlugins(): Plugins {
  const p = {} as Plugins;
  for (const k of PLUGIN_SET_KEYS) p[k] = { enabled: [], disabled: [] };
  return p;
}

/** upstream mergePluginSet: drop disabled defaults ("*" drops all), let custom entries override defaults in place, append the rest. */
export function mergePluginSet(defaults: PluginSet, custom: PluginSet): PluginSet {
  const disabled = new Set(custom.disabled.map((p) => p.name));
  for (const p of defaults.disabled) disabled.add(p.name);
  const customByName = new Map(custom.enabled.map((p, i) => [p.name, { p, i }]));
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabled.has('*')) {
    for (const d of defaults.enabled) {
      if (disabled.has(d.name)) continue;
      const c = customByName.get(d.name);
      if (c) {
        replaced.add(c.i);
        enabled.push(c.p);
      } else enabled.push(d);
    }
  }
  custom.enabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push(p);
  });
  return { enabled, disabled: [...custom.disabled, ...defaults.disabled] };
}

export function defaultPlugins(): Plugins {
  const p = emptyPlugins();
  p.multiPoint.enabled = DEFAULT_PLUGINS.map((x) => ({ ...x }));
  return p;
}

export function mergePlugins(custom: Plugins): Plugins {
  const d = defaultPlugins();
  const out = {} as Plugins;
  for (const k of PLUGIN_SET_KEYS) out[k] = mergePluginSet(d[k], custom[k]);
  return out;
}

export function defaultProfile(schedulerName = 'default-scheduler'): KubeSchedulerProfile {
  return { schedulerName, plugins: defaultPlugins(), pluginConfig: new Map() };
}

export function defaultConfiguration(): KubeSchedulerConfiguration {
  return { percentageOfNodesToScore: 0, podInitialBackoffSeconds: 1, podMaxBackoffSeconds: 10, profiles: [defaultProfile()] };
}

/** A profile with only `names` enabled (in default order, default weights) — the `plugins` option of runSchedulingCycle. */
export function restrictedProfile(names: readonly string[]): KubeSchedulerProfile {
  const want = new Set(names);
  const p = emptyPlugins();
  p.multiPoint.enabled = DEFAULT_PLUGINS.filter((x) => want.has(x.name)).map((x) => ({ ...x }));
  return { schedulerName: 'default-scheduler', plugins: p, pluginConfig: new Map() };
}
