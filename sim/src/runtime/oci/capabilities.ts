/**
 * Linux capability names (0 … CAP_LAST_CAP = 40) and rlimit names runc knows.
 * Upstream: Linux v6.x include/uapi/linux/capability.h; runc v1.3
 * libcontainer/capabilities/capabilities.go (names via moby/sys/capability),
 * libcontainer/configs/validate and `strToRlimit` in libcontainer/specconv/spec_linux.go.
 */

/** Layer 1 owns the list (kernel/creds.ts); runc validates against the same names. */
export { CAPABILITIES } from '../../kernel/creds.ts';

/**
 * The default capability set containerd gives a non-privileged container
 * (containerd v2 pkg/oci/spec.go `defaultUnixCaps`) — the same list as Docker's.
 */
export const CONTAINERD_DEFAULT_CAPS: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** rlimit names accepted by runc (strToRlimit); anything else is "wrong rlimit value". */
export const RLIMIT_TYPES: readonly string[] = [
  'RLIMIT_CPU', 'RLIMIT_FSIZE', 'RLIMIT_DATA', 'RLIMIT_STACK', 'RLIMIT_CORE', 'RLIMIT_RSS', 'RLIMIT_NPROC', 'RLIMIT_NOFILE',
  'RLIMIT_MEMLOCK', 'RLIMIT_AS', 'RLIMIT_LOCKS', 'RLIMIT_SIGPENDING', 'RLIMIT_MSGQUEUE', 'RLIMIT_NICE', 'RLIMIT_RTPRIO', 'RLIMIT_RTTIME',
];
