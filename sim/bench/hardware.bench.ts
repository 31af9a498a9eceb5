/** Layer 0 widget runners on their DEFAULT inputs and near their limits. */
import { bench, describe } from 'vitest';
import { runStorageTrace, DEFAULT_STORAGE_TRACE } from '../src/hardware/storage/widget.ts';
import { runMemoryAccess, DEFAULT_MEMORY_ACCESS } from '../src/hardware/memory/widget.ts';
import { runNicBurst, DEFAULT_NIC_BURST } from '../src/hardware/nic/widget.ts';
import { runCpuCores, DEFAULT_CPU_CORES } from '../src/hardware/cpu/widget.ts';
import { toeplitzHash } from '../src/hardware/nic/toeplitz.ts';

describe('layer 0 runners', () => {
  bench('runStorageTrace DEFAULT', () => void runStorageTrace(DEFAULT_STORAGE_TRACE, { seed: 1 }), { iterations: 3 });
  bench('runStorageTrace 1 GiB drive, 256 MiB random 4k direct', () => void runStorageTrace('ssd capacity=1GiB\nwrite rand 256MiB bs=4k direct qd=32', { seed: 1 }), { iterations: 2 });
  bench('runMemoryAccess DEFAULT', () => void runMemoryAccess(DEFAULT_MEMORY_ACCESS, { seed: 1 }), { iterations: 3 });
  bench('runNicBurst DEFAULT (100k packets)', () => void runNicBurst(DEFAULT_NIC_BURST, { seed: 1 }), { iterations: 3 });
  bench('runCpuCores DEFAULT', () => void runCpuCores(DEFAULT_CPU_CORES, { seed: 1 }), { iterations: 10 });
  bench('toeplitzHash 12-byte input', () => void toeplitzHash([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
});
