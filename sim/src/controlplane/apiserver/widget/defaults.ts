/**
 * Default texts for the kube-apiserver and watch widgets. The story: alice,
 * a developer (group `dev`), creates an nginx Pod in the `web` namespace.
 * RBAC lets `dev` create pods there; defaulting and admission fill in what
 * she left out (imagePullPolicy, the ServiceAccount token, 300 s
 * tolerations, LimitRange requests); Pod Security `baseline` is enforced and
 * `restricted` only warns; the quota has room; the Pod lands in etcd at
 * /registry/pods/web/nginx. Things to try are in the comments.
 */

export const DEFAULT_API_REQUEST = `# kubectl apply -f nginx.yaml — as alice.
# kubectl sends her client certificate: CN=alice, O=dev.
user: alice
groups: [dev]
verb: create
namespace: web

# Try: groups: [qa] (no RoleBinding names qa → 403) · token: forged (→ 401)
#      token: bob-token (a static token) · serviceAccount: web/default
#      verb: list · verb: delete (the Role does not allow it → 403)
`;

export const DEFAULT_RBAC = `# Created by the cluster admin before alice's request.
apiVersion: v1
kind: Namespace
metadata:
  name: web
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-writer
  namespace: web
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["create", "get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: dev-pod-writers
  namespace: web
subjects:
- kind: Group
  name: dev
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: pod-writer
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: v1
kind: LimitRange
metadata:
  name: container-defaults
  namespace: web
spec:
  limits:
  - type: Container
    defaultRequest: {cpu: 100m, memory: 128Mi}
    default: {cpu: 500m, memory: 256Mi}
    max: {cpu: "1"}
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
  namespace: web
spec:
  hard:
    pods: "3"
    requests.cpu: "1"
`;

export const DEFAULT_MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
# Try: delete the image line (→ 422) · hostNetwork: true under spec (→ 403 PodSecurity)
#      resources: {limits: {cpu: "2"}} on the container (→ 403 LimitRanger max)
`;

export const DEFAULT_WATCH_SCRIPT = `# Every controller, the scheduler and each kubelet learn about changes by WATCH.
watch-cache-size 4          # the apiserver keeps only the last 4 pod events
create pod web-1 image=nginx:1.27
create pod web-2 image=nginx:1.27
watch pods from 0 as all    # starts with ADDED for what exists, then every change
watch pods field spec.nodeName=worker-1 bookmarks as kubelet
update pod web-1 node=worker-1   # scheduled (pods/binding): the kubelet's filtered watch sees ADDED
update pod web-1 label=tier=frontend
delete pod web-2
bookmark                    # idle watchers learn the current resourceVersion
etcd-watch /registry/pods/ from 14 as etcd   # under the apiserver: etcd's own watch
compact 16
etcd-watch /registry/pods/ from 15 as old    # below the compaction → canceled
create pod web-3 image=nginx:1.27
create pod web-4 image=nginx:1.27
create pod web-5 image=nginx:1.27
watch pods from 15 as late  # fell out of the 4-event window → 410 Gone
list pods                   # what an informer does after 410: list again
`;
