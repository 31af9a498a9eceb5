/**
 * The simulation's public API: an explicit list (STYLE habit 7). Widgets and
 * tests import from here, never from internal paths.
 */

// core
export { Clock } from './core/clock.ts';
export { Prng } from './core/prng.ts';
export { invariant, InvariantError } from './core/invariant.ts';
export { ok, fail, simError, formatError } from './core/result.ts';
export type { Result, SimError } from './core/result.ts';

// Kubernetes API values
export { parseQuantity, cpuToMilli, quantityToBytes, parseExactQuantity, QuantityError, QUANTITY_MAX } from './api/quantity.ts';
export type { ExactQuantity } from './api/quantity.ts';
export { parseYaml, parsePath, YAML_MAX_BYTES } from './api/yaml.ts';
export type { LocatedYaml } from './api/yaml.ts';
export type * from './api/objects.ts';

// --- layer 0: hardware (sim/src/hardware) ---

// --- layer 1: kernel (sim/src/kernel) and kubelet's view of it ---

// --- layer 2: runtime (sim/src/runtime) ---

// --- layer 3: etcd / raft (sim/src/controlplane/etcd) ---

// --- layer 3: apiserver, watch, informers (sim/src/controlplane/apiserver) ---

// --- layer 3: scheduler (sim/src/controlplane/scheduler) ---

// --- layer 3: controllers (sim/src/controlplane/controllers) ---

// --- node: kubelet, kube-proxy (sim/src/node) ---
