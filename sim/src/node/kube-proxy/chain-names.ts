/**
 * Chain names as kube-proxy computes them.
 * Upstream: kubernetes/kubernetes pkg/proxy/iptables/proxier.go (v1.34:
 * portProtoHash, servicePortPolicyClusterChain — historically named
 * servicePortChainName —, servicePortEndpointChainName) and
 * pkg/proxy/nftables/proxier.go (hashAndTruncate, servicePortChainNameBase,
 * servicePortEndpointChainNameBase).
 *
 * iptables chain names must be ≤ 28 characters, so kube-proxy hashes:
 * `KUBE-SVC-` + first 16 chars of base32(sha256(servicePortName + protocol)).
 */
import { sha256Bytes } from '../../core/sha256.ts';
import { base32StdEncode } from './base32.ts';

/** base32(sha256(servicePortName + protocol))[:16] — upstream `portProtoHash`. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return base32StdEncode(sha256Bytes(servicePortName + protocol)).slice(0, 16);
}

/** `KUBE-SVC-…`: the per-service-port chain that picks an endpoint (Cluster traffic policy). */
export function servicePortChainName(servicePortName: string, protocol: string): string {
  return 'KUBE-SVC-' + portProtoHash(servicePortName, protocol);
}

/** `KUBE-SVL-…`: the Local-traffic-policy twin of KUBE-SVC. */
export function servicePortPolicyLocalChainName(servicePortName: string, protocol: string): string {
  return 'KUBE-SVL-' + portProtoHash(servicePortName, protocol);
}

/** `KUBE-EXT-…`: where NodePort / external traffic enters before the policy chain. */
export function serviceExternalChainName(servicePortName: string, protocol: string): string {
  return 'KUBE-EXT-' + portProtoHash(servicePortName, protocol);
}

/** `KUBE-SEP-…`: one chain per endpoint; the hash covers servicePortName + protocol + "ip:port". */
export function servicePortEndpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return 'KUBE-SEP-' + base32StdEncode(sha256Bytes(servicePortName + protocol + endpoint)).slice(0, 16);
}

/** knftables.NameLengthMax (256) − chainNamePrefixLengthMax (16). */
const NFT_CHAIN_NAME_BASE_LENGTH_MAX = 240;

/** nftables: `HASH8-name`, truncated to 240 characters with "..." (upstream hashAndTruncate). */
export function nftHashAndTruncate(name: string): string {
  let out = base32StdEncode(sha256Bytes(name)).slice(0, 8) + '-' + name;
  if (out.length > NFT_CHAIN_NAME_BASE_LENGTH_MAX) out = out.slice(0, NFT_CHAIN_NAME_BASE_LENGTH_MAX - 3) + '...';
  return out;
}

/** e.g. `ULMVA6XW-ns1/svc1/tcp/p80` for namespace ns1, service svc1, protocol tcp, port name p80. */
export function nftServicePortChainNameBase(namespace: string, name: string, protocol: string, portName: string): string {
  return nftHashAndTruncate(`${namespace}/${name}/${protocol}/${portName}`);
}

/** e.g. `5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80`; IPv6 colons become dots. */
export function nftServicePortEndpointChainNameBase(namespace: string, name: string, protocol: string, portName: string, endpoint: string): string {
  const sep = endpoint.lastIndexOf(':');
  let ip = endpoint.slice(0, sep).replace(/^\[|\]$/g, '');
  const port = endpoint.slice(sep + 1);
  if (ip.includes(':')) ip = ip.replaceAll(':', '.');
  return nftHashAndTruncate(`${namespace}/${name}/${protocol}/${portName}__${ip}/${port}`);
}
