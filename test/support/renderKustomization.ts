import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** A Kubernetes object as written in the manifests. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface JsonPatchOperation {
  op: 'add' | 'replace';
  path: string;
  value: unknown;
}

/** The kustomization fields our overlays use; any other field fails the rendering. */
const SUPPORTED = new Set([
  'apiVersion',
  'kind',
  'resources',
  'labels',
  'namespace',
  'images',
  'replicas',
  'patches',
]);

/**
 * Renders a kustomization folder the way `kubectl kustomize` does for the
 * subset deploy/kubernetes uses — resources (files or folders), labels,
 * namespace, images, replicas, and JSON 6902 patches (add, replace) aimed at a
 * kind and name — and refuses anything else, so an overlay never uses a
 * feature this test would silently skip.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Record<string, any>;
  for (const field of Object.keys(k)) {
    if (!SUPPORTED.has(field)) throw new Error(`${dir}: kustomization field ${field} not rendered`);
  }
  const objects: K8sObject[] = [];
  for (const resource of (k.resources ?? []) as string[]) {
    const path = join(dir, resource);
    if (resource.endsWith('.yaml')) {
      for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
        if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
        objects.push(doc.toJS() as K8sObject);
      }
    } else objects.push(...renderKustomization(path));
  }
  for (const { pairs } of (k.labels ?? []) as { pairs: Record<string, string> }[]) {
    for (const o of objects) o.metadata.labels = { ...o.metadata.labels, ...pairs };
  }
  if (k.namespace) for (const o of objects) o.metadata.namespace = k.namespace as string;
  for (const image of (k.images ?? []) as { name: string; newTag: string }[]) {
    for (const container of objects.flatMap(containersOf)) {
      if (container.image.split(':')[0] === image.name)
        container.image = `${image.name}:${image.newTag}`;
    }
  }
  for (const { name, count } of (k.replicas ?? []) as { name: string; count: number }[]) {
    const target = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
    if (!target) throw new Error(`${dir}: replicas for ${name}, which is not a Deployment here`);
    (target.spec as { replicas: number }).replicas = count;
  }
  for (const patch of (k.patches ?? []) as {
    target: { kind: string; name: string };
    patch: string;
  }[]) {
    const target = objects.find(
      (o) => o.kind === patch.target.kind && o.metadata.name === patch.target.name,
    );
    if (!target)
      throw new Error(`${dir}: patch target ${patch.target.kind}/${patch.target.name} not found`);
    for (const operation of parse(patch.patch) as JsonPatchOperation[])
      applyOperation(target, operation);
  }
  return objects;
}

/** The containers of a Deployment's or Job's pod template. */
export function containersOf(o: K8sObject): { image: string; [field: string]: any }[] {
  const spec = (o.spec as { template?: { spec?: { containers?: [] } } } | undefined)?.template
    ?.spec;
  return spec?.containers ?? [];
}

/** RFC 6902 `add` and `replace` on an object path (the operations our overlays use). */
function applyOperation(target: unknown, operation: JsonPatchOperation): void {
  if (operation.op !== 'add' && operation.op !== 'replace') {
    throw new Error(`patch operation ${String(operation.op)} not rendered`);
  }
  const keys = operation.path
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop()!;
  let node = target as Record<string, unknown>;
  for (const key of keys) {
    if (typeof node[key] !== 'object' || node[key] === null) {
      throw new Error(`patch path ${operation.path} does not exist`);
    }
    node = node[key] as Record<string, unknown>;
  }
  if (operation.op === 'replace' && !(last in node)) {
    throw new Error(`patch replaces ${operation.path}, which does not exist`);
  }
  node[last] = operation.value;
}
