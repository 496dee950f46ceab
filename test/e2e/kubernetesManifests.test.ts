/**
 * deploy/kubernetes: the kustomize base and each overlay, rendered, are valid
 * Kubernetes objects (kubernetes-models validates each against the API's
 * OpenAPI schema), and say what the deployment needs: one Deployment per
 * department, probes on /health and /ready, resource requests, keys only
 * where they belong, and NetworkPolicies that let only the gateway reach a
 * subgraph. Every container starts a role exactly as the Dockerfile's label says.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import {
  platformGatewayRole,
  platformHostUserName,
  platformSubgraphRole,
} from '../../server/index.ts';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { findDepartmentDirs, loadCatalogue } from '../../schema/index.ts';
import { readDockerImage } from '../support/dockerfileImage.ts';
import {
  containersOf,
  renderKustomization,
  type K8sObject,
} from '../support/renderKustomization.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const KUBERNETES = join(ROOT, 'deploy', 'kubernetes');
const OVERLAYS = readdirSync(join(KUBERNETES, 'overlays'));
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};
const DEPARTMENTS = loadCatalogue(findDepartmentDirs(join(ROOT, 'subgraphs'))).departments.map(
  (d) => d.code,
);
const image = readDockerImage(join(ROOT, 'Dockerfile'));

const renderings: [string, K8sObject[]][] = [
  ['base', renderKustomization(join(KUBERNETES, 'base'))],
  ...OVERLAYS.map((o): [string, K8sObject[]] => [
    `overlay ${o}`,
    renderKustomization(join(KUBERNETES, 'overlays', o)),
  ]),
];

const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const podLabels = (o: K8sObject) =>
  (o.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata
    .labels;
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
const secretVolumes = (o: K8sObject) =>
  (
    (o.spec as { template: { spec: { volumes?: { secret?: { secretName: string } }[] } } }).template
      .spec.volumes ?? []
  ).flatMap((v) => (v.secret ? [v.secret.secretName] : []));

describe.each(renderings)('deploy/kubernetes %s', (_, objects) => {
  it('is made of valid Kubernetes objects (OpenAPI schema of each kind)', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(
        Model,
        `${object.apiVersion} ${object.kind} is a kind this test validates`,
      ).toBeDefined();
      expect(
        () => new Model!(object).validate(),
        `${object.kind}/${object.metadata.name}`,
      ).not.toThrow();
    }
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has the gateway, the platform subgraph and one Deployment per department, each with probes, requests and a non-root pod', () => {
    const deployments = ofKind(objects, 'Deployment');
    const departments = deployments.flatMap((d) => {
      const args = containersOf(d)[0]!.args as string[];
      const at = args.indexOf('--department');
      return at >= 0 ? [args[at + 1]] : [];
    });
    expect(departments.sort()).toEqual([...DEPARTMENTS].sort());
    expect(deployments.map((d) => d.metadata.name)).toEqual(
      expect.arrayContaining(['govdata-gateway', 'govdata-platform']),
    );
    for (const d of deployments) {
      const [container] = containersOf(d);
      expect(container!.livenessProbe.httpGet.path, d.metadata.name).toBe('/health');
      expect(container!.readinessProbe.httpGet.path, d.metadata.name).toBe('/ready');
      expect(container!.resources.requests.cpu, d.metadata.name).toBeTruthy();
      expect(container!.resources.requests.memory, d.metadata.name).toBeTruthy();
      const pod = (d.spec as { template: { spec: Record<string, any> } }).template.spec;
      expect(pod.securityContext.runAsNonRoot, d.metadata.name).toBe(true);
      expect(container!.securityContext.allowPrivilegeEscalation, d.metadata.name).toBe(false);
    }
    expect(ofKind(objects, 'Job').map((j) => j.metadata.name)).toEqual(['govdata-migrate']);
  });

  it("starts each role with the Dockerfile's ENTRYPOINT and the arguments of its role label", () => {
    const roleOf = (args: string[]) =>
      args.includes('--department')
        ? 'department'
        : args.includes('--platform')
          ? 'platform'
          : args[0]!.includes('gateway')
            ? 'gateway'
            : 'migrate';
    for (const o of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')]) {
      const [container] = containersOf(o);
      const args = container!.args as string[];
      expect(
        container!.command,
        `${o.metadata.name}: the image's ENTRYPOINT is kept`,
      ).toBeUndefined();
      const label = image.roles[roleOf(args)]!;
      expect(label, o.metadata.name).toBeDefined();
      // The label names one department as an example; the rest of the arguments agree.
      expect(
        args.slice(0, label.length).map((a, i) => (label[i - 1] === '--department' ? 'D' : a)),
        o.metadata.name,
      ).toEqual(label.map((a, i) => (label[i - 1] === '--department' ? 'D' : a)));
    }
  });

  it('serves each Deployment through a Service whose URL is the one its subgraph registers', () => {
    const services = ofKind(objects, 'Service');
    for (const d of ofKind(objects, 'Deployment')) {
      const service = services.find((s) =>
        selects((s.spec as { selector: Record<string, string> }).selector, podLabels(d)),
      );
      expect(service, d.metadata.name).toBeDefined();
      const env = (containersOf(d)[0]!.env ?? []) as { name: string; value?: string }[];
      const registered = env.find((e) => e.name === 'SUBGRAPH_URL')?.value;
      if (d.metadata.name !== 'govdata-gateway') {
        expect(registered, d.metadata.name).toBe(`http://${service!.metadata.name}:4000/graphql`);
      }
    }
  });

  it('scales the gateway (HPA) and keeps some of it through disruptions (PDB)', () => {
    const [hpa] = ofKind(objects, 'HorizontalPodAutoscaler');
    expect((hpa!.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name).toBe(
      'govdata-gateway',
    );
    const [pdb] = ofKind(objects, 'PodDisruptionBudget');
    const gateway = ofKind(objects, 'Deployment').find(
      (d) => d.metadata.name === 'govdata-gateway',
    )!;
    expect(
      selects(
        (pdb!.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
        podLabels(gateway),
      ),
    ).toBe(true);
  });

  it('gives the signing key to the gateway only and the join key to subgraphs only', () => {
    for (const d of ofKind(objects, 'Deployment')) {
      const secrets = secretVolumes(d);
      const isGateway = d.metadata.name === 'govdata-gateway';
      expect(secrets.includes('govdata-gateway-signing'), d.metadata.name).toBe(isGateway);
      if (isGateway) expect(secrets).not.toContain('govdata-join-key');
    }
  });

  it("gives each department's audit signing key to its own subgraph only, the platform's registry key to the platform subgraph only, and the verify keys to the gateway and the platform subgraph", () => {
    for (const d of ofKind(objects, 'Deployment')) {
      const secrets = secretVolumes(d);
      const department = podLabels(d)['govdata.gov.example/department'];
      expect(
        secrets.filter((s) => s.startsWith('govdata-department-signing-')),
        d.metadata.name,
      ).toEqual(
        department ? [`govdata-department-signing-${department.replaceAll('_', '-')}`] : [],
      );
      expect(secrets.includes('govdata-department-verify'), d.metadata.name).toBe(
        ['govdata-gateway', 'govdata-platform'].includes(d.metadata.name),
      );
      // The platform's own subgraphs are published with a registry key of its own.
      expect(secrets.includes('govdata-platform-registry-signing'), d.metadata.name).toBe(
        d.metadata.name === 'govdata-platform',
      );
    }
  });

  it("connects every pod but the migrations job's to the platform database as its role's user, never with the platform's own credential", () => {
    type EnvVar = {
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef?: { name: string; key: string } };
    };
    const envOf = (o: K8sObject) =>
      (
        o.spec as { template: { spec: { containers: { env?: EnvVar[] }[] } } }
      ).template.spec.containers.flatMap((c) => c.env ?? []);
    const [usersSecret] = ofKind(objects, 'Secret').filter(
      (o) => o.metadata.name === 'govdata-platform-db-users',
    );
    const passwords = Object.keys((usersSecret as unknown as { stringData: object }).stringData);
    const withPlatformCredential: string[] = [];
    for (const o of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')]) {
      const env = envOf(o);
      const department = podLabels(o)['govdata.gov.example/department'];
      if (env.some((e) => e.valueFrom?.secretKeyRef?.name === 'govdata-database')) {
        withPlatformCredential.push(o.metadata.name);
        continue;
      }
      const user = department
        ? platformHostUserName('govdata', department)
        : o.metadata.name === 'govdata-platform'
          ? platformSubgraphRole('govdata').user
          : platformGatewayRole('govdata').user;
      const password = env.find((e) => e.name === 'PLATFORM_DB_PASSWORD')!.valueFrom!.secretKeyRef!;
      expect(password, o.metadata.name).toEqual({
        name: 'govdata-platform-db-users',
        key: `mysql-${user}.password`,
      });
      expect(passwords).toContain(password.key);
      const url = new URL(env.find((e) => e.name === 'DATABASE_URL')!.value!);
      expect(decodeURIComponent(url.username), o.metadata.name).toBe(user);
      expect(url.password).toBe('$(PLATFORM_DB_PASSWORD)');
    }
    // Only the migrations job holds the platform's credential.
    expect(withPlatformCredential).toEqual(['govdata-migrate']);
    // The migrations job makes those users with the same passwords.
    const [job] = ofKind(objects, 'Job');
    expect(secretVolumes(job!)).toContain('govdata-platform-db-users');
    expect(passwords.sort()).toEqual(
      [
        ...DEPARTMENTS.map((d) => platformHostUserName('govdata', d)),
        platformGatewayRole('govdata').user,
        platformSubgraphRole('govdata').user,
      ]
        .map((user) => `mysql-${user}.password`)
        .sort(),
    );
  });

  it('lets only gateway pods reach a subgraph pod (NetworkPolicy)', () => {
    const policies = ofKind(objects, 'NetworkPolicy');
    const gateway = ofKind(objects, 'Deployment').find(
      (d) => d.metadata.name === 'govdata-gateway',
    )!;
    for (const d of ofKind(objects, 'Deployment').filter((x) => x !== gateway)) {
      const governing = policies.filter((p) =>
        selects(
          (p.spec as { podSelector: { matchLabels: Record<string, string> } }).podSelector
            .matchLabels,
          podLabels(d),
        ),
      );
      expect(governing.length, `${d.metadata.name} is isolated by a policy`).toBeGreaterThan(0);
      for (const p of governing) {
        const spec = p.spec as {
          policyTypes: string[];
          ingress?: { from?: { podSelector?: { matchLabels: Record<string, string> } }[] }[];
        };
        expect(spec.policyTypes).toContain('Ingress');
        for (const rule of spec.ingress ?? []) {
          // A rule without `from` admits everyone: not allowed for a subgraph.
          expect(
            rule.from?.length,
            `${p.metadata.name}: every rule names its sources`,
          ).toBeGreaterThan(0);
          for (const source of rule.from!) {
            expect(
              selects(source.podSelector!.matchLabels, podLabels(gateway)),
              p.metadata.name,
            ).toBe(true);
          }
        }
      }
    }
  });
});

describe('deploy/kubernetes overlays', () => {
  it('apply their namespace, image tag, replicas and patches', () => {
    const production = renderings.find(([name]) => name === 'overlay production')![1];
    expect(new Set(production.map((o) => o.metadata.namespace))).toEqual(new Set(['govdata']));
    const gateway = production.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'govdata-gateway',
    )!;
    expect((gateway.spec as { replicas: number }).replicas).toBe(3);
    const hpa = production.find((o) => o.kind === 'HorizontalPodAutoscaler')!;
    expect((hpa.spec as { minReplicas: number }).minReplicas).toBe(3);
  });

  it('refuses a patch aimed at nothing, so an overlay cannot silently miss', () => {
    expect(() =>
      renderKustomization(join(import.meta.dirname, 'fixtures', 'kustomize-broken')),
    ).toThrow(/not found/);
  });
});
