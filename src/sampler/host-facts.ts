import type * as SystemInformation from 'systeminformation';

/**
 * One line about the host from systeminformation: OS and release, kernel,
 * CPU model and cores, and a virtualisation/container hint. It spawns a few
 * helpers (lsb_release, dmidecode …) and takes about a second, so it runs
 * once, in the background: the first frame never waits for it.
 */
export async function hostFacts(): Promise<string | undefined> {
  try {
    // Loaded here, not at start-up: requiring systeminformation costs ~60 ms.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const si = require('systeminformation') as typeof SystemInformation;
    const [os, cpu, system] = await Promise.all([si.osInfo(), si.cpu(), si.system()]);
    const model = [cpu.manufacturer, cpu.brand].filter((s) => s && s.trim() !== '').join(' ');
    const virt = system.virtual ? `virtual (${system.virtualHost || 'hypervisor'})` : /container/i.test(system.model) ? system.model : '';
    return [`${os.distro} ${os.release}`.trim(), `kernel ${os.kernel}`, `${model} × ${cpu.cores}`, virt].filter((s) => s !== '').join(' · ');
  } catch {
    return undefined;
  }
}
