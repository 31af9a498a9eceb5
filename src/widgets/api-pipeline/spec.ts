import { DEFAULT_API_REQUEST, DEFAULT_MANIFEST, DEFAULT_RBAC } from '@sim';
import type { WidgetSpec } from '../registry.ts';

/** Layer 3 kube-apiserver: who calls (request), what the admin created first (rbac), what is sent (manifest). */
export const spec: WidgetSpec = {
  title: { ja: 'kube-apiserver のリクエスト処理: 認証・認可・アドミッション・検証・etcd', en: 'A request through kube-apiserver: authentication, authorization, admission, validation, etcd' },
  files: [
    { id: 'request', label: { ja: 'リクエスト (誰が何をするか)', en: 'request (who asks for what)' }, lang: 'yaml', text: DEFAULT_API_REQUEST },
    { id: 'rbac', label: { ja: 'クラスターの既存オブジェクト (RBAC など)', en: 'objects already in the cluster (RBAC and more)' }, lang: 'yaml', text: DEFAULT_RBAC },
    { id: 'manifest', label: { ja: 'マニフェスト (送るオブジェクト)', en: 'manifest (the object sent)' }, lang: 'yaml', text: DEFAULT_MANIFEST },
  ],
};
