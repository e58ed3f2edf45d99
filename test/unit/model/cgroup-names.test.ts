/** Real-world cgroup paths → the short names proctop shows (table-driven). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactCgroupPath, describeCgroup } from '../../../src/model/cgroup-names';

const ID = '3f2a9c1b7e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const K = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d';
const POD_SLICE = '1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d';
const POD = '1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';

/** path → [container, unit]. */
const CASES: readonly (readonly [string, string | undefined, string | undefined])[] = [
  ['/', undefined, undefined],
  ['/init.scope', undefined, 'init.scope'],
  ['/system.slice/nginx.service', undefined, 'nginx.service'],
  ['/system.slice/system-getty.slice/getty@tty1.service', undefined, 'getty@tty1.service'],
  ['/user.slice/user-1000.slice/user@1000.service', undefined, 'user@1000'],
  ['/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox-1234.scope', undefined, 'app-gnome-firefox-1234.scope'],
  ['/user.slice/user-1000.slice/session-3.scope', undefined, 'session-3'],
  ['/user.slice/user-0.slice/session-c2.scope', undefined, 'session-c2'],
  // Docker: systemd driver, cgroupfs driver (v1 and v2)
  [`/system.slice/docker-${ID}.scope`, 'docker:3f2a9c1b7e4d', undefined],
  [`/docker/${ID}`, 'docker:3f2a9c1b7e4d', undefined],
  // Docker in Docker: the innermost container wins
  [`/docker/${K}/docker/${ID}`, 'docker:3f2a9c1b7e4d', undefined],
  // Podman: rootful, conmon, rootless under user@, cgroupfs driver
  [`/machine.slice/libpod-${ID}.scope`, 'podman:3f2a9c1b7e4d', undefined],
  [`/machine.slice/libpod-conmon-${ID}.scope`, 'podman:3f2a9c1b7e4d', undefined],
  [`/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope/container`, 'podman:3f2a9c1b7e4d', undefined],
  [`/libpod_parent/libpod-${ID}`, 'podman:3f2a9c1b7e4d', undefined],
  // Kubernetes with containerd (systemd driver): three QoS classes
  [`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_SLICE}.slice/cri-containerd-${ID}.scope`, 'k8s:burstable/pod1a2b3c4d/containerd:3f2a9c1b7e4d', undefined],
  [`/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${POD_SLICE}.slice/cri-containerd-${ID}.scope`, 'k8s:besteffort/pod1a2b3c4d/containerd:3f2a9c1b7e4d', undefined],
  [`/kubepods.slice/kubepods-pod${POD_SLICE}.slice/cri-containerd-${ID}.scope`, 'k8s:guaranteed/pod1a2b3c4d/containerd:3f2a9c1b7e4d', undefined],
  // CRI-O, and the cgroupfs driver's bare ids under pod<uid>
  [`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_SLICE}.slice/crio-${ID}.scope`, 'k8s:burstable/pod1a2b3c4d/crio:3f2a9c1b7e4d', undefined],
  [`/kubepods/burstable/pod${POD}/${ID}`, 'k8s:burstable/pod1a2b3c4d/cri:3f2a9c1b7e4d', undefined],
  [`/kubepods/pod${POD}/${ID}`, 'k8s:guaranteed/pod1a2b3c4d/cri:3f2a9c1b7e4d', undefined],
  // A container runtime outside Kubernetes
  [`/system.slice/crio-${ID}.scope`, 'crio:3f2a9c1b7e4d', undefined],
  [`/system.slice/containerd.service`, undefined, 'containerd.service'],
  // LXC (legacy and 4.x layouts), nspawn, machined
  ['/lxc/web', 'lxc:web', undefined],
  ['/lxc.payload.web/system.slice/nginx.service', 'lxc:web', undefined],
  ['/lxc.monitor.web', 'lxc:web', undefined],
  ['/machine.slice/systemd-nspawn@debian.service', 'nspawn:debian', 'systemd-nspawn@debian.service'],
  ['/machine.slice/machine-my\\x2dvm.scope', 'machine:my-vm', 'machine-my-vm.scope'],
  // Not containers
  ['/process_api/5899bba8fdbe14d6e46820a0d8921ed2', undefined, undefined],
  ['/proctop-test-123-cpu', undefined, undefined],
];

for (const [path, container, unit] of CASES) {
  test(`describeCgroup ${path}`, () => {
    const d = describeCgroup(path);
    assert.deepEqual([d.container, d.unit], [container, unit]);
  });
}

test('describeCgroup of a hostile path does not throw and finds nothing', () => {
  for (const p of ['', '//', '/\u001b[31m/docker-zz.scope', '/kubepods/pod', `/docker/${ID.slice(0, 63)}`]) {
    const d = describeCgroup(p);
    assert.equal(d.container, undefined, p);
  }
});

const COMPACT: readonly (readonly [string, string])[] = [
  ['/', '/'],
  ['/system.slice/nginx.service', 'system/nginx.service'],
  ['/user.slice/user-1000.slice/session-3.scope', 'user/1000/session-3.scope'],
  [`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_SLICE}.slice/cri-containerd-${ID}.scope`, `kubepods/burstable/pod${POD_SLICE}/cri-containerd-3f2a9c1b7e4d.scope`],
  [`/docker/${ID}`, 'docker/3f2a9c1b7e4d'],
];

for (const [path, compact] of COMPACT) {
  test(`compactCgroupPath ${path}`, () => assert.equal(compactCgroupPath(path), compact));
}
