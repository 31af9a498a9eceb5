/**
 * Services and EndpointSlices as kube-proxy sees them: one ServicePort per
 * (service, port) with its ready endpoints, sorted by "ip:port" as upstream's
 * EndpointSliceCache does (pkg/proxy/endpointslicecache.go, v1.34:
 * `sort.Sort(byEndpoint(...))`). Parsing reads a multi-document YAML of
 * `kind: Service` (spec.clusterIP, spec.type ClusterIP|NodePort, spec.ports[].
 * name/port/targetPort/protocol/nodePort, spec.sessionAffinity and
 * sessionAffinityConfig.clientIP.timeoutSeconds, default 10800) and
 * `kind: EndpointSlice` (label kubernetes.io/service-name, ports[].name/port,
 * endpoints[].addresses, conditions.ready, nodeName).
 */
import { fail, ok, type Result, type SimError } from '../../core/result.ts';
import { parseYaml } from '../../api/yaml.ts';
import { servicePortChainName, servicePortEndpointChainName } from './chain-names.ts';

export const KUBE_PROXY_MAX_ENDPOINTS = 1000;
export const DEFAULT_STICKY_MAX_AGE_SECONDS = 10800;

export interface EndpointInfo {
  ip: string;
  port: number;
  /** "ip:port" (upstream Endpoint.String()). */
  endpoint: string;
  nodeName: string;
  chainName: string;
}

export interface ServicePortInfo {
  namespace: string;
  name: string;
  portName: string;
  /** "namespace/name:portName" (or "namespace/name" when the port has no name). */
  servicePortName: string;
  protocol: 'tcp' | 'udp';
  clusterIP: string;
  port: number;
  nodePort: number;
  sessionAffinity: 'None' | 'ClientIP';
  stickyMaxAgeSeconds: number;
  chainName: string;
  endpoints: EndpointInfo[];
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
export function isIPv4(s: unknown): s is string {
  const m = typeof s === 'string' ? IPV4.exec(s) : null;
  return !!m && m.slice(1).every((x) => Number(x) <= 255);
}

export function parseServicesAndEndpoints(text: string): Result<ServicePortInfo[]> {
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  const y = parsed.value;
  const errors: SimError[] = [];
  const out: ServicePortInfo[] = [];
  const slices: { doc: number; svc: string; ns: string; value: Record<string, unknown> }[] = [];
  y.docs.forEach((doc, i) => {
    if (!isObj(doc)) return void errors.push(y.errorAt('', 'FIELD_INVALID', 'expected a Service or EndpointSlice', i));
    const meta = isObj(doc.metadata) ? doc.metadata : {};
    const ns = typeof meta.namespace === 'string' ? meta.namespace : 'default';
    if (doc.kind === 'EndpointSlice') {
      const labels = isObj(meta.labels) ? meta.labels : {};
      const svc = labels['kubernetes.io/service-name'];
      if (typeof svc !== 'string') return void errors.push(y.errorAt('metadata.labels', 'FIELD_REQUIRED', 'an EndpointSlice needs the label kubernetes.io/service-name', i));
      slices.push({ doc: i, svc, ns, value: doc });
      return;
    }
    if (doc.kind !== 'Service') return void errors.push(y.errorAt('kind', 'FIELD_INVALID', `kind must be Service or EndpointSlice, got ${JSON.stringify(doc.kind)}`, i));
    const name = meta.name;
    if (typeof name !== 'string' || !name) return void errors.push(y.errorAt('metadata.name', 'FIELD_REQUIRED', 'metadata.name is required', i));
    const spec = isObj(doc.spec) ? doc.spec : {};
    const clusterIP = spec.clusterIP;
    if (!isIPv4(clusterIP)) return void errors.push(y.errorAt('spec.clusterIP', 'FIELD_INVALID', 'spec.clusterIP must be an IPv4 address (this widget does not allocate one, and headless "None" Services have no rules)', i));
    const type = spec.type ?? 'ClusterIP';
    if (type !== 'ClusterIP' && type !== 'NodePort') return void errors.push(y.errorAt('spec.type', 'FIELD_INVALID', 'spec.type must be ClusterIP or NodePort here', i));
    const affinity = spec.sessionAffinity ?? 'None';
    if (affinity !== 'None' && affinity !== 'ClientIP') return void errors.push(y.errorAt('spec.sessionAffinity', 'FIELD_INVALID', 'spec.sessionAffinity must be None or ClientIP', i));
    const cfg = isObj(spec.sessionAffinityConfig) && isObj(spec.sessionAffinityConfig.clientIP) ? spec.sessionAffinityConfig.clientIP : {};
    const timeout = cfg.timeoutSeconds ?? DEFAULT_STICKY_MAX_AGE_SECONDS;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 86400) return void errors.push(y.errorAt('spec.sessionAffinityConfig.clientIP.timeoutSeconds', 'FIELD_INVALID', 'timeoutSeconds must be an integer in 1..86400', i));
    const ports = Array.isArray(spec.ports) ? spec.ports : [];
    if (!ports.length) return void errors.push(y.errorAt('spec.ports', 'FIELD_REQUIRED', 'spec.ports needs at least one port', i));
    ports.forEach((p, j) => {
      if (!isObj(p)) return;
      const path = `spec.ports[${j}]`;
      const portName = typeof p.name === 'string' ? p.name : '';
      const port = p.port;
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return void errors.push(y.errorAt(`${path}.port`, 'FIELD_INVALID', 'port must be 1..65535', i));
      const protocol = String(p.protocol ?? 'TCP');
      // SCTP is valid upstream, but the netfilter model that executes the rules knows tcp/udp/icmp only.
      if (!['TCP', 'UDP'].includes(protocol)) return void errors.push(y.errorAt(`${path}.protocol`, 'FIELD_INVALID', protocol === 'SCTP' ? 'SCTP is valid in Kubernetes but not simulated here: use TCP or UDP' : 'protocol must be TCP or UDP (or SCTP, not simulated here)', i));
      let nodePort = 0;
      if (type === 'NodePort') {
        const np = p.nodePort ?? 30000 + j;
        if (typeof np !== 'number' || !Number.isInteger(np) || np < 30000 || np > 32767) return void errors.push(y.errorAt(`${path}.nodePort`, 'FIELD_INVALID', 'nodePort must be in the default range 30000-32767', i));
        nodePort = np;
      }
      const proto = protocol.toLowerCase() as ServicePortInfo['protocol'];
      const spn = `${ns}/${name}${portName ? ':' + portName : ''}`;
      out.push({
        namespace: ns, name, portName, servicePortName: spn, protocol: proto, clusterIP, port, nodePort,
        sessionAffinity: affinity, stickyMaxAgeSeconds: timeout, chainName: servicePortChainName(spn, proto), endpoints: [],
      });
    });
  });
  let total = 0;
  for (const s of slices) {
    const ports = Array.isArray(s.value.ports) ? s.value.ports : [];
    const endpoints = Array.isArray(s.value.endpoints) ? s.value.endpoints : [];
    ports.forEach((p, j) => {
      if (!isObj(p)) return;
      const portName = typeof p.name === 'string' ? p.name : '';
      const svcPort = out.find((sp) => sp.namespace === s.ns && sp.name === s.svc && sp.portName === portName);
      if (!svcPort) return void errors.push(y.errorAt(`ports[${j}].name`, 'FIELD_INVALID', `no port named "${portName}" on Service ${s.ns}/${s.svc}`, s.doc));
      const port = p.port;
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return void errors.push(y.errorAt(`ports[${j}].port`, 'FIELD_INVALID', 'port must be 1..65535', s.doc));
      endpoints.forEach((e, k) => {
        if (!isObj(e)) return;
        const conditions = isObj(e.conditions) ? e.conditions : {};
        if (conditions.ready === false) return; // not-ready endpoints get no rules
        const addrs = Array.isArray(e.addresses) ? e.addresses : [];
        addrs.forEach((ip, m) => {
          if (!isIPv4(ip)) return void errors.push(y.errorAt(`endpoints[${k}].addresses[${m}]`, 'FIELD_INVALID', 'address must be IPv4', s.doc));
          if (++total > KUBE_PROXY_MAX_ENDPOINTS) return;
          const endpoint = `${ip}:${port}`;
          svcPort.endpoints.push({ ip, port, endpoint, nodeName: typeof e.nodeName === 'string' ? e.nodeName : '', chainName: servicePortEndpointChainName(svcPort.servicePortName, svcPort.protocol, endpoint) });
        });
      });
    });
  }
  if (total > KUBE_PROXY_MAX_ENDPOINTS) errors.push({ code: 'LIMIT_EXCEEDED', message: `${total} endpoints; the limit is ${KUBE_PROXY_MAX_ENDPOINTS}`, line: 1, column: 1 });
  if (errors.length) return fail(errors);
  for (const sp of out) {
    const seen = new Set<string>();
    sp.endpoints = sp.endpoints.filter((e) => !seen.has(e.endpoint) && (seen.add(e.endpoint), true)).sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
  }
  out.sort((a, b) => (a.servicePortName < b.servicePortName ? -1 : a.servicePortName > b.servicePortName ? 1 : 0));
  return ok(out);
}
