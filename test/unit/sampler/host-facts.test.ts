import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { readHostFiles } from '../../../src/procfs/host-files';
import { cpuinfoHypervisor, parseOsRelease } from '../../../src/procfs/parse/os-release';
import { describeHost } from '../../../src/sampler/host-facts';

describe('os-release', () => {
  it('reads quoted, single-quoted and bare values, skipping comments and junk', () => {
    const r = parseOsRelease('# comment\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME=\'Debian GNU/Linux\'\nVERSION_ID=12\nnot a line\n');
    assert.deepEqual(r, { name: 'Debian GNU/Linux', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
  });

  it('undoes the escapes of a double-quoted value', () => {
    assert.equal(parseOsRelease('NAME="a \\"b\\" \\$c"\n').name, 'a "b" $c');
  });

  it('an empty file gives nothing', () => {
    assert.deepEqual(parseOsRelease(''), { name: undefined, versionId: undefined, prettyName: undefined });
  });

  it('hypervisor only from the flags line', () => {
    assert.equal(cpuinfoHypervisor('model name\t: X\nflags\t\t: fpu vme hypervisor lahf_lm\n'), true);
    assert.equal(cpuinfoHypervisor('model name\t: hypervisor edition\nflags\t\t: fpu vme\n'), false);
  });
});

describe('describeHost', () => {
  const files = { osRelease: parseOsRelease('NAME="Debian GNU/Linux"\nVERSION_ID="12"\n'), hypervisor: true, vendor: 'QEMU', container: undefined };
  it('distro, kernel, CPU and a hypervisor hint', () => {
    assert.equal(describeHost({ files, kernel: '6.1.0', cpuModel: 'AMD EPYC', cpus: 2 }), 'Debian GNU/Linux 12 · kernel 6.1.0 · AMD EPYC × 2 · virtual (QEMU)');
  });

  it('a container marker wins over the hypervisor; PRETTY_NAME without NAME', () => {
    const line = describeHost({ files: { ...files, osRelease: parseOsRelease('PRETTY_NAME="Alpine"\n'), container: 'docker' }, kernel: '6.1.0', cpuModel: undefined, cpus: 4 });
    assert.equal(line, 'Alpine · kernel 6.1.0 · CPU × 4 · Docker container');
  });
});

describe('readHostFiles', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-host-files-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads os-release, cpuinfo flags, DMI vendor and the podman marker under a root', () => {
    for (const dir of ['etc', 'proc', 'sys/class/dmi/id', 'run']) fs.mkdirSync(path.join(root, dir), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/os-release'), 'NAME=Fedora\nVERSION_ID=40\n');
    fs.writeFileSync(path.join(root, 'proc/cpuinfo'), 'flags\t: fpu hypervisor\n');
    fs.writeFileSync(path.join(root, 'sys/class/dmi/id/sys_vendor'), 'Amazon EC2\n');
    fs.writeFileSync(path.join(root, 'run/.containerenv'), '');
    const f = readHostFiles(root);
    assert.deepEqual(f, { osRelease: { name: 'Fedora', versionId: '40', prettyName: undefined }, hypervisor: true, vendor: 'Amazon EC2', container: 'podman' });
  });

  it('an empty root: nothing known, no error', () => {
    const empty = fs.mkdtempSync(path.join(root, 'empty-'));
    assert.deepEqual(readHostFiles(empty), { osRelease: undefined, hypervisor: false, vendor: undefined, container: undefined });
  });
});
