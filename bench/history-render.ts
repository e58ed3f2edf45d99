/** The table of `npm run bench:history`: one row per figure, with its budget, verdict and load average. */
import type { HistoryBenchResult, Load } from './history';
import type { RecorderRun } from './history-recorders';
import { fmt } from './stats';

const DAY_S = 86_400;
const MB = 1e6;

const isRun = (x: RecorderRun | { skipped: string } | undefined): x is RecorderRun => x !== undefined && !('skipped' in x);
const loads = (l: [Load, Load] | undefined): string => (l ? `${l[0][0]}→${l[1][0]}` : '–');
const verdict = (ok: boolean | undefined): string => (ok === undefined ? '–' : ok ? 'met' : 'MISSED');
const ms = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '–' : `${fmt(x)} ms`);

/** % of one core a recorder used over its counted samples. */
export function corePercent(r: RecorderRun): number {
  return r.windowS > 0 ? (r.cpuMs / (r.windowS * 1000)) * 100 : NaN;
}

/** Bytes a day at the measured steady rate, plus (proctop) one segment start an hour. */
export function bytesPerDay(r: RecorderRun, intervalS: number, segmentStart: number | undefined): number {
  const perSample = r.samples > 0 ? r.bytes / r.samples : NaN;
  return perSample * (DAY_S / intervalS) + (segmentStart ?? 0) * 24;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - [...c].length))).join('  ').trimEnd();
  return [line(rows[0] as string[]), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function renderHistory(r: HistoryBenchResult): string {
  const o = r.options;
  const out: string[] = [];
  out.push(`proctop bench:history — ${r.machine.nproc} CPUs, ${r.machine.kernel}, node ${r.machine.node}, ${r.machine.atop ?? 'atop: not run'}`);
  out.push(`population: ${r.population.reached} idle processes; interval ${o.intervalS} s; window ${o.windowS} s; store ${o.storeHours} h; ring ${o.ringFrames} frames${o.smoke ? ' (SMOKE: figures mean nothing)' : ''}`);
  out.push('');
  const rows: string[][] = [['budget', 'proctop', 'reference', 'limit', 'verdict', 'load 1-min', 'how']];
  const rec = r.recorders;
  if (rec) {
    const p = rec.proctop;
    const a = isRun(rec.atop) ? rec.atop : undefined;
    const pp = corePercent(p);
    const ap = a ? corePercent(a) : undefined;
    rows.push(['1. recorder CPU', `${fmt(pp, 3)} % of a core (${fmt(p.cpuMs / p.samples, 3)} ms/sample)`, a ? `atop: ${fmt(ap, 3)} % (${fmt(a.cpuMs / a.samples, 3)} ms/sample)` : `atop: ${(rec.atop as { skipped: string }).skipped}`,
      '≤ 1 % and ≤ atop', verdict(Number.isFinite(pp) ? pp <= 1 && (ap === undefined || pp <= ap) : undefined), loads(rec.load),
      `utime+stime(+children) over ${p.samples} samples (${fmt(p.windowS)} s)${a ? ` / ${a.samples} (${fmt(a.windowS)} s)` : ''}, both at once; first sample excluded (start-up: ${ms(p.startCpuMs)}${a ? ` / ${ms(a.startCpuMs)}` : ''})`]);
    const n = rec.processes;
    rows.push(['   per process per sample', `${fmt((p.cpuMs / p.samples / n.mean) * 1000, 3)} µs`, a ? `atop: ${fmt((a.cpuMs / a.samples / n.mean) * 1000, 3)} µs` : '', '', '', loads(rec.load),
      `${fmt(n.mean, 0)} processes per frame (${n.min}–${n.max}) on the host; at 2,000: proctop ${fmt((p.cpuMs / p.samples / n.mean) * 2000 / (o.intervalS * 10), 3)} %${a ? `, atop ${fmt((a.cpuMs / a.samples / n.mean) * 2000 / (o.intervalS * 10), 3)} %` : ''} of a core`]);
    const pd = bytesPerDay(p, o.intervalS, rec.proctopSegmentStart);
    const ad = a ? bytesPerDay(a, o.intervalS, undefined) : undefined;
    rows.push(['2. bytes per day', `${fmt(pd / MB, 1)} MB (${fmt(p.bytes / p.samples / 1000, 2)} kB/sample)`, a ? `atop: ${fmt((ad as number) / MB, 1)} MB (${fmt(a.bytes / a.samples / 1000, 2)} kB/sample)` : 'atop: –',
      '≤ atop', verdict(ad === undefined || !Number.isFinite(pd) ? undefined : pd <= ad), loads(rec.load),
      `extrapolated from ${fmt(p.windowS)} s; proctop + 24 segment starts of ${fmt((rec.proctopSegmentStart ?? NaN) / 1000, 1)} kB (header, strings ×2)`]);
    rows.push(['   recorder RSS at the end', `${fmt((p.rssKb ?? NaN) / 1024, 1)} MiB (HWM ${fmt((p.hwmKb ?? NaN) / 1024, 1)})`, a ? `atop: ${fmt((a.rssKb ?? NaN) / 1024, 1)} MiB (HWM ${fmt((a.hwmKb ?? NaN) / 1024, 1)})` : '–', '', '', loads(rec.load), 'VmRSS (VmHWM)']);
  }
  const st = r.store;
  if (st) {
    rows.push(['   generated store', `${st.frames} frames, ${st.segments} segments, ${fmt(st.bytes / MB, 1)} MB`, '', '', '', loads(st.load),
      `StoreWriter with record's settings, fake clock, ${st.processes} processes per frame cycled from 12 real snapshots; append ${ms(st.appendCpu.median)} CPU/frame`]);
  }
  const sk = r.seek;
  if (sk) {
    const worst = Math.max(...sk.cold.map((c) => c.wall.median));
    const best = Math.min(...sk.cold.map((c) => c.wall.median));
    const inWorst = Math.max(...sk.inProcess.map((s) => s.total.median));
    rows.push(['3. --once --replay --at T', `${ms(best)} – ${ms(worst)} wall (medians over ${sk.cold.length} T)`, `node -e 0: ${ms(sk.nodeBaseline.wall.median)}; live --once: ${ms(sk.liveOnce.wall.median)}`,
      '≤ 300 ms', verdict(worst <= 300), loads(sk.load), `cold process, whole command, table of ${sk.cold[0]?.lines ?? '?'} lines to a pipe; CPU ${ms(Math.max(...sk.cold.map((c) => c.cpu.median)))} (live --once ${ms(sk.liveOnce.cpu.median)})`]);
    rows.push(['   open+seek+decode in-process', `${ms(inWorst)} worst median (open ${ms(Math.max(...sk.inProcess.map((s) => s.open.median)))})`, '', '≤ 300 ms', verdict(inWorst <= 300), loads(sk.load),
      `new HistoryReader per run over ${sk.frames} frames in ${sk.segments} segments, page cache warm; ${sk.warnings} warnings`]);
  }
  const s = r.step;
  if (s) {
    const stepCost = s.decode.median + s.replayView.ms.median + s.replayFrame.ms.median;
    const liveCost = s.liveScan.median + s.liveView.ms.median + s.liveFrame.ms.median;
    rows.push(['4. step one frame in replay', `decode ${ms(s.decode.median)} (max ${ms(s.decode.max)}) + view/frame = ${ms(stepCost)}`, `live refresh: scan ${ms(s.liveScan.median)} + view/frame = ${ms(liveCost)}`,
      '≤ a live refresh', verdict(stepCost <= liveCost), loads(s.load), `${s.steps} steps; view = tree+filter+buildView, frame = 200×50 markup (bench's measures)`]);
  }
  const g = r.ring;
  if (g) {
    const above = ((g.on.rssKb ?? NaN) - (g.off.rssKb ?? NaN)) * 1024;
    rows.push(['5. rewind memory', `RSS +${fmt(above / MB, 1)} MB with ${g.on.ringFrames} frames (ring ${fmt(g.on.ringBytes / MB, 2)} MB)`, `without: RSS ${fmt((g.off.rssKb ?? NaN) / 1024, 1)} MiB; with: ${fmt((g.on.rssKb ?? NaN) / 1024, 1)} MiB`,
      '≤ 30 MB', verdict(Number.isFinite(above) ? above <= 30 * MB : undefined), loads(g.load),
      `${g.on.frames} real scans of ${g.on.processes} processes back to back, times set 1 s apart; after gc(); push ${ms(g.on.pushCpu?.median)} CPU`]);
  }
  out.push(table(rows));
  const notes = [...r.population.notes, ...r.notes, ...(rec ? [...rec.proctop.notes, ...(isRun(rec.atop) ? rec.atop.notes : [])] : [])];
  if (r.population.leftAfterStop) notes.push(`${r.population.leftAfterStop} population members still listed after the stop`);
  for (const n of notes) out.push(`note: ${n}`);
  return out.join('\n');
}
