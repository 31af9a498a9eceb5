/**
 * The admission chain in kube-apiserver's plugin order
 * (pkg/kubeapiserver/options/plugins.go AllOrderedPlugins, v1.34): the
 * mutating phase runs every plugin's Admit in order, the validating phase
 * every Validate; ResourceQuota is last so it counts only requests that
 * everything else accepted.
 */
import { DefaultTolerationSeconds } from './default-toleration-seconds.ts';
import type { MutatingPlugin, ValidatingPlugin } from './interfaces.ts';
import { LimitRangerAdmit, LimitRangerValidate } from './limit-ranger.ts';
import { NamespaceLifecycle } from './namespace-lifecycle.ts';
import { PodSecurity } from './pod-security.ts';
import { ResourceQuota } from './resource-quota.ts';
import { ServiceAccount } from './service-account.ts';

export const MUTATING_PLUGINS: readonly MutatingPlugin[] = [NamespaceLifecycle, LimitRangerAdmit, ServiceAccount, DefaultTolerationSeconds];
export const VALIDATING_PLUGINS: readonly ValidatingPlugin[] = [LimitRangerValidate, PodSecurity, ResourceQuota];
