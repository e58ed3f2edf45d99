/**
 * Kubernetes pod names from the pod's HOSTNAME in /proc/PID/environ (v2 fixture, pid 12 in a
 * burstable pod's containerd container): read once per pod, only when allowed (root), ignored
 * when it is the host's own name or not a host name, and tried again on a slow cadence while unknown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { POD_NAME_RECHECK_MS, PodNameSource } from '../../../src/sampler/cgroup-tracker';
import { CGROUP_RECHECK_MS } from '../../../src/sampler/cgroup-tracker';
import { Sampler } from '../../../src/sampler/sampler';
import { environValue, isHostName } from '../../../src/procfs/parse/environ';
import { REPO_ROOT } from '../procfs/fixtures';

const CONTAINER = 'containerd:9e8d7c6b5a4f';

function setup(t: { after: (fn: () => void) => void }, pods: PodNameSource, environ?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-pods-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'cgroup', 'v2'), dir, { recursive: true });
  const file = path.join(dir, 'proc', '12', 'environ');
  if (environ !== undefined) fs.writeFileSync(file, environ);
  const clock = { now: 1_795_783_433_710 };
  const sampler = new Sampler({ root: path.join(dir, 'proc'), passwdPath: path.join(dir, 'proc', 'passwd'), threads: false, now: () => clock.now, pageSize: 4096, podNames: pods });
  sampler.setCgroups(true);
  const container = (): string | undefined => sampler.sample().processes.find((p) => p.pid === 12)?.container;
  return { file, clock, container };
}

const ROOT: PodNameSource = { readEnviron: true, hostname: 'node-3' };
const env = (...entries: string[]): string => `${entries.join('\0')}\0`;

test('environValue finds one NUL-separated variable; isHostName accepts DNS names only', () => {
  assert.equal(environValue(env('PATH=/bin', 'HOSTNAME=web-7d9f-x2k4q', 'X=HOSTNAME=no'), 'HOSTNAME'), 'web-7d9f-x2k4q');
  assert.equal(environValue(env('PATH=/bin'), 'HOSTNAME'), undefined);
  assert.deepEqual(['web-1', 'a.b-c', '', '-x', 'x-', 'a b', 'x\u001b[31m', 'é'].map(isHostName), [true, true, false, false, false, false, false, false]);
});

test("as root, the pod's HOSTNAME names the pod in the container name", (t) => {
  const { container } = setup(t, ROOT, env('PATH=/usr/bin', 'HOSTNAME=web-7d9f-x2k4q', 'KUBERNETES_SERVICE_HOST=10.0.0.1'));
  assert.equal(container(), `k8s:burstable/web-7d9f-x2k4q/${CONTAINER}`);
});

test('not root (environ not read): the pod uid, as before', (t) => {
  const { container } = setup(t, { readEnviron: false, hostname: 'node-3' }, env('HOSTNAME=web-7d9f-x2k4q'));
  assert.equal(container(), `k8s:burstable/pod1a2b3c4d/${CONTAINER}`);
});

test("the host's own name (a host-network pod sharing the UTS namespace) and a hostile value are ignored", (t) => {
  assert.equal(setup(t, ROOT, env('HOSTNAME=node-3')).container(), `k8s:burstable/pod1a2b3c4d/${CONTAINER}`);
  assert.equal(setup(t, ROOT, env('HOSTNAME=\u001b]0;pwned\u0007')).container(), `k8s:burstable/pod1a2b3c4d/${CONTAINER}`);
});

test('read once per pod; while unknown, tried again after POD_NAME_RECHECK_MS, not at every re-read of the cgroup', (t) => {
  const { file, clock, container } = setup(t, ROOT);
  assert.equal(container(), `k8s:burstable/pod1a2b3c4d/${CONTAINER}`, 'no environ file');
  fs.writeFileSync(file, env('HOSTNAME=api-0'));
  clock.now += CGROUP_RECHECK_MS + 20 * 500;
  assert.equal(container(), `k8s:burstable/pod1a2b3c4d/${CONTAINER}`, 'the cgroup is re-read, the pod not yet');
  clock.now += POD_NAME_RECHECK_MS;
  assert.equal(container(), `k8s:burstable/api-0/${CONTAINER}`);
  fs.writeFileSync(file, env('HOSTNAME=changed'));
  clock.now += POD_NAME_RECHECK_MS + CGROUP_RECHECK_MS + 20 * 500;
  assert.equal(container(), `k8s:burstable/api-0/${CONTAINER}`, 'a known name is not read again');
});
