import * as os from 'node:os';
import { HostFiles, readHostFiles } from '../procfs/host-files';

/** The facts the line is made of. */
export interface HostFactsInput {
  readonly files: HostFiles;
  /** os.release(), e.g. `6.1.0-18-amd64`. */
  readonly kernel: string;
  /** The first CPU's model name (os.cpus()), e.g. `AMD EPYC 7B13`. */
  readonly cpuModel: string | undefined;
  /** Logical CPUs. */
  readonly cpus: number;
}

/**
 * One line about the host: OS and release, kernel, CPU model and count, and a
 * virtualisation/container hint, e.g. `Debian GNU/Linux 12 · kernel 6.1.0 · AMD EPYC × 2 · Docker container`.
 * The text comes from files anyone can write in a container: the header sanitizes it.
 */
export function describeHost(f: HostFactsInput): string {
  const r = f.files.osRelease;
  const distro = r?.name !== undefined ? [r.name, r.versionId].filter((s) => s !== undefined).join(' ') : (r?.prettyName ?? 'Linux');
  const virt = f.files.container === 'docker' ? 'Docker container'
    : f.files.container === 'podman' ? 'Podman container'
      : f.files.hypervisor ? `virtual (${f.files.vendor ?? 'hypervisor'})` : '';
  const cpu = `${f.cpuModel?.trim() || 'CPU'} × ${f.cpus}`;
  return [distro, `kernel ${f.kernel}`, cpu, virt].filter((s) => s !== '').join(' · ');
}

/**
 * The host facts line, read once in the background after the first frame. Read from
 * /etc/os-release, /proc/cpuinfo, DMI and the container marker files: systeminformation did it
 * with helper processes (lsb_release, dmidecode …) for ~300 ms of CPU and ~12 MiB of RSS.
 */
export async function hostFacts(root = '/'): Promise<string | undefined> {
  try {
    const cpus = os.cpus();
    return await Promise.resolve(describeHost({ files: readHostFiles(root), kernel: os.release(), cpuModel: cpus[0]?.model, cpus: cpus.length || os.availableParallelism() }));
  } catch {
    return undefined;
  }
}
