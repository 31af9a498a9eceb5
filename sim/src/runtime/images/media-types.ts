/**
 * OCI media types and the descriptor shape.
 * Upstream: opencontainers/image-spec v1.1.1 `media-types.md`, `descriptor.md`
 * (digest = algorithm ":" encoded, sha256 encoded as 64 lower-case hex chars;
 * size = exact byte count of the blob), `specs-go/v1/mediatype.go`.
 */

export const MediaTypeImageIndex = 'application/vnd.oci.image.index.v1+json';
export const MediaTypeImageManifest = 'application/vnd.oci.image.manifest.v1+json';
export const MediaTypeImageConfig = 'application/vnd.oci.image.config.v1+json';
export const MediaTypeImageLayerGzip = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType: typeof MediaTypeImageIndex;
  manifests: Descriptor[];
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: typeof MediaTypeImageManifest;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** The image configuration (config.md): what CRI uses to build the container's process. */
export interface ImageConfig {
  created?: string;
  architecture: string;
  os: string;
  variant?: string;
  config: {
    User?: string;
    ExposedPorts?: Record<string, object>;
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
    StopSignal?: string;
  };
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: { created?: string; created_by?: string; empty_layer?: boolean }[];
}
