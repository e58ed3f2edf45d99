/**
 * Short, recognisable names for cgroup paths: which container, pod or
 * systemd unit a process belongs to. Pure string work on the path, so the
 * same rules serve live scans, recorded frames and fixture tests.
 */

/** Kubernetes quality-of-service class, from the kubepods level of the path. */
export type QosClass = 'guaranteed' | 'burstable' | 'besteffort';

/** What a cgroup path says about its container, when it is one. */
export interface ContainerRef {
  /** `docker`, `podman`, `containerd`, `crio`, `lxc`, `nspawn`, `machine`. */
  readonly runtime: string;
  /** Container id shortened to 12 characters (names for lxc/nspawn/machine). */
  readonly id: string;
  /** Kubernetes pod uid, first 8 characters, when the container belongs to a pod. */
  readonly pod: string | undefined;
  readonly qos: QosClass | undefined;
}

/** The facts {@link describeCgroup} finds in a path. */
export interface CgroupNames {
  /** `docker:3f2a9c1b7e4d`, `k8s:burstable/pod1a2b3c4d/containerd:3f2a9c1b7e4d`, `lxc:web`; undefined when not a container. */
  readonly container: string | undefined;
  readonly containerRef: ContainerRef | undefined;
  /** Deepest systemd unit (`nginx.service`, `user@1000`, `session-3`); undefined when none. */
  readonly unit: string | undefined;
}

const HEX_ID = /^[0-9a-f]{12,64}$/;
const short = (id: string): string => id.slice(0, 12);

/** `<prefix><id>.scope` or `<prefix><id>` with a hex id (systemd and cgroupfs drivers). */
function scopedId(component: string, prefix: string): string | undefined {
  if (!component.startsWith(prefix)) return undefined;
  const id = component.slice(prefix.length).replace(/\.scope$/, '');
  return HEX_ID.test(id) ? id : undefined;
}

/** Runtime prefixes of a container's own cgroup, per driver, in the order tried. */
const RUNTIMES: readonly (readonly [prefix: string, runtime: string])[] = [
  ['docker-', 'docker'],
  ['libpod-conmon-', 'podman'],
  ['libpod-', 'podman'],
  ['cri-containerd-', 'containerd'],
  ['crio-conmon-', 'crio'],
  ['crio-', 'crio'],
];

/** A container component: `docker-<id>.scope`, or a bare id under `/docker/`, `/libpod_parent/`, a kubepods pod. */
function containerOf(component: string, parent: string | undefined): { runtime: string; id: string } | undefined {
  for (const [prefix, runtime] of RUNTIMES) {
    const id = scopedId(component, prefix);
    if (id !== undefined) return { runtime, id: short(id) };
  }
  if (HEX_ID.test(component) && component.length === 64) {
    if (parent === 'docker') return { runtime: 'docker', id: short(component) };
    if (parent?.startsWith('pod') === true) return { runtime: 'cri', id: short(component) };
  }
  return undefined;
}

/** Pod uid and QoS from `kubepods-burstable-pod<uid>.slice` (systemd) or `kubepods/burstable/pod<uid>` (cgroupfs). */
function podOf(components: readonly string[]): { pod: string; qos: QosClass } | undefined {
  if (!components.some((c) => c === 'kubepods' || c.startsWith('kubepods.') || c.startsWith('kubepods-'))) return undefined;
  for (let i = 0; i < components.length; i++) {
    const c = components[i] as string;
    const m = /^(?:kubepods-(?:(burstable|besteffort)-)?)?pod([0-9a-f_-]{8,})(?:\.slice)?$/.exec(c);
    if (!m) continue;
    const qos = (m[1] as QosClass | undefined) ?? ((components[i - 1] === 'burstable' || components[i - 1] === 'besteffort') ? (components[i - 1] as QosClass) : 'guaranteed');
    return { pod: (m[2] as string).replace(/[_-]/g, '').slice(0, 8), qos };
  }
  return undefined;
}

/** LXC (`/lxc/web`, `/lxc.payload.web`, `/lxc.monitor.web`), nspawn and machined containers. */
function namedContainer(components: readonly string[]): ContainerRef | undefined {
  for (let i = 0; i < components.length; i++) {
    const c = components[i] as string;
    const lxc = /^lxc\.(?:payload|monitor)\.(.+)$/.exec(c) ?? (components[i - 1] === 'lxc' ? [c, c] : null);
    if (lxc) return { runtime: 'lxc', id: lxc[1] as string, pod: undefined, qos: undefined };
    const nspawn = /^systemd-nspawn@(.+)\.service$/.exec(c);
    if (nspawn) return { runtime: 'nspawn', id: unescapeSystemd(nspawn[1] as string), pod: undefined, qos: undefined };
    const machine = /^machine-(.+)\.scope$/.exec(c);
    if (machine && !HEX_ID.test(machine[1] as string)) return { runtime: 'machine', id: unescapeSystemd(machine[1] as string), pod: undefined, qos: undefined };
  }
  return undefined;
}

/** systemd escapes `-` in names as `\x2d`. */
function unescapeSystemd(name: string): string {
  return name.replace(/\\x([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const UNIT_SUFFIX = /\.(service|scope|socket|mount|swap|timer|target|path)$/;

/** The deepest systemd unit in the path, shortened where systemd's name is noise. */
function unitOf(components: readonly string[]): string | undefined {
  for (let i = components.length - 1; i >= 0; i--) {
    const c = components[i] as string;
    if (!UNIT_SUFFIX.test(c)) continue;
    const user = /^(user@\d+)\.service$/.exec(c);
    if (user) return user[1];
    const session = /^(session-[^.]+)\.scope$/.exec(c);
    if (session) return session[1];
    return unescapeSystemd(c);
  }
  return undefined;
}

/** A cgroup path's container and unit; see {@link CgroupNames}. */
export function describeCgroup(path: string): CgroupNames {
  const components = path.split('/').filter((c) => c !== '');
  let ref: ContainerRef | undefined;
  for (let i = components.length - 1; i >= 0 && ref === undefined; i--) {
    const found = containerOf(components[i] as string, components[i - 1]);
    if (found) {
      const pod = podOf(components.slice(0, i));
      ref = { ...found, pod: pod?.pod, qos: pod?.qos };
    }
  }
  ref ??= namedContainer(components);
  const inContainer = ref !== undefined && ref.runtime !== 'nspawn' && ref.runtime !== 'machine';
  // A container's scope (`docker-<id>.scope`) is a unit only in name: the container says more.
  return { container: ref && containerName(ref), containerRef: ref, unit: inContainer ? undefined : unitOf(components) };
}

/**
 * `docker:3f2a9c1b7e4d`, or with a pod `k8s:burstable/pod1a2b3c4d/containerd:3f2a9c1b7e4d`;
 * with the pod's name (its HOSTNAME) `k8s:burstable/web-7d9f-x2k4q/containerd:3f2a9c1b7e4d`.
 */
export function containerName(ref: ContainerRef, human?: string, podName?: string): string {
  const own = `${ref.runtime}:${human ?? ref.id}`;
  return ref.pod === undefined ? own : `k8s:${ref.qos ?? 'guaranteed'}/${podName ?? `pod${ref.pod}`}/${own}`;
}

/**
 * A path made short enough for a column: `.slice` dropped, a component's
 * repetition of its parent's name dropped (`kubepods-burstable.slice` under
 * `kubepods.slice` → `burstable`), 64-hex ids cut to 12. `/` stays `/`.
 */
export function compactCgroupPath(path: string): string {
  const out: string[] = [];
  let parent = '';
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let c = raw.replace(/\.slice$/, '');
    const full = c;
    if (parent !== '' && c.startsWith(`${parent}-`)) c = c.slice(parent.length + 1);
    parent = full;
    out.push(c.replace(/[0-9a-f]{64}/g, (id) => short(id)));
  }
  return out.length === 0 ? '/' : out.join('/');
}
