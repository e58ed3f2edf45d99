/**
 * proctop's own CPU% (of one core, since the previous reading) and RSS, from
 * Node's process counters: no /proc read, no spawn.
 */
export class SelfMeter {
  private last = { usage: process.cpuUsage(), at: process.hrtime.bigint() };

  read(): { cpu: number | undefined; rss: number } {
    const usage = process.cpuUsage();
    const at = process.hrtime.bigint();
    const elapsedUs = Number(at - this.last.at) / 1000;
    const usedUs = usage.user - this.last.usage.user + (usage.system - this.last.usage.system);
    // Readings closer than 100 ms apart (a key press) keep the previous figure.
    if (elapsedUs < 100_000) return { cpu: this.cpu, rss: process.memoryUsage.rss() };
    this.last = { usage, at };
    this.cpu = (usedUs * 100) / elapsedUs;
    return { cpu: this.cpu, rss: process.memoryUsage.rss() };
  }

  private cpu: number | undefined;
}
