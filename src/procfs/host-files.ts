import * as fs from 'node:fs';
import * as path from 'node:path';
import { cpuinfoHypervisor, OsRelease, parseOsRelease } from './parse/os-release';

/** What the host facts line needs from files, read once. */
export interface HostFiles {
  readonly osRelease: OsRelease | undefined;
  /** /proc/cpuinfo's flags say `hypervisor`. */
  readonly hypervisor: boolean;
  /** /sys/class/dmi/id/sys_vendor (e.g. `QEMU`, `Amazon EC2`); undefined without DMI. */
  readonly vendor: string | undefined;
  /** `docker` for /.dockerenv, `podman` for /run/.containerenv, else undefined. */
  readonly container: 'docker' | 'podman' | undefined;
}

function text(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads the host files under `root` ('/' on a live system; a fixture tree in tests). */
export function readHostFiles(root = '/'): HostFiles {
  const at = (p: string): string => path.join(root, p);
  const release = text(at('etc/os-release')) ?? text(at('usr/lib/os-release'));
  const vendor = text(at('sys/class/dmi/id/sys_vendor'))?.trim();
  return {
    osRelease: release === undefined ? undefined : parseOsRelease(release),
    hypervisor: cpuinfoHypervisor(text(at('proc/cpuinfo')) ?? ''),
    vendor: vendor === '' ? undefined : vendor,
    container: fs.existsSync(at('.dockerenv')) ? 'docker' : fs.existsSync(at('run/.containerenv')) ? 'podman' : undefined,
  };
}
