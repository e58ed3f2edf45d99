import * as blessed from 'blessed';
import type * as Contrib from 'blessed-contrib';
import { Line, ViewModel } from '../view/view-model';
import { markup } from './markup';
import { escapeTags } from '../view/text';
import { Theme } from './theme';

/** The widgets of the screen. Each is one box whose content is finished text: no element per process. */
export interface Widgets {
  readonly header: blessed.Widgets.BoxElement;
  readonly columns: blessed.Widgets.BoxElement;
  readonly table: blessed.Widgets.BoxElement;
  readonly status: blessed.Widgets.BoxElement;
  readonly footer: blessed.Widgets.BoxElement;
  readonly dialog: blessed.Widgets.BoxElement;
  /** CPU and memory history (blessed-contrib); created on first use, as contrib's canvas needs a TTY. */
  graph: Contrib.Widgets.LineElement | undefined;
}

const plainBox = (screen: blessed.Widgets.Screen): blessed.Widgets.BoxElement =>
  blessed.box({ parent: screen, tags: true, wrap: false, left: 0, width: '100%', height: 1, top: 0 });

export function createWidgets(screen: blessed.Widgets.Screen): Widgets {
  return {
    header: plainBox(screen),
    columns: plainBox(screen),
    table: plainBox(screen),
    status: plainBox(screen),
    footer: plainBox(screen),
    dialog: blessed.box({ parent: screen, tags: true, wrap: false, hidden: true, border: { type: 'line' }, top: 'center', left: 'center', width: 10, height: 5 }),
    graph: undefined,
  };
}

const lines = (ls: readonly Line[], theme: Theme): string => ls.map((l) => markup(l, theme)).join('\n');

/** Places and fills the widgets from a view model. Decides nothing. */
export function paint(w: Widgets, vm: ViewModel, theme: Theme): void {
  let y = 0;
  const place = (box: blessed.Widgets.BoxElement, height: number, content: string): void => {
    box.top = y;
    box.height = Math.max(0, height);
    if (height <= 0) box.hide();
    else box.show();
    box.setContent(content);
    y += height;
  };
  place(w.header, vm.header.length, lines(vm.header, theme));
  paintGraph(w, vm, y);
  y += vm.graph?.lines ?? 0;
  place(w.columns, 1, markup(vm.columnHeader, theme));
  place(w.table, vm.tableHeight, lines(vm.rows, theme));
  place(w.status, 1, markup(vm.status, theme));
  place(w.footer, 1, markup(vm.footer, theme));
  if (vm.dialog) {
    w.dialog.width = vm.dialog.width;
    w.dialog.height = vm.dialog.height;
    w.dialog.setLabel(` ${escapeTags(vm.dialog.title)} `);
    w.dialog.setContent(lines(vm.dialog.lines, theme));
    w.dialog.show();
    w.dialog.setFront();
  } else {
    w.dialog.hide();
  }
}

function paintGraph(w: Widgets, vm: ViewModel, top: number): void {
  if (!vm.graph) {
    w.graph?.hide();
    return;
  }
  if (!w.graph) {
    // Loaded on first use, and the line chart's own file, not the package's index: the index requires
    // every widget (235 ms unbundled, against 35 for the line chart), and the map, markdown and picture
    // widgets' dependencies were ~850 KiB of the 2.1 MiB bundle, held as source by every proctop
    // process (record and serve too) though never run.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const line = require('blessed-contrib/lib/widget/charts/line') as typeof Contrib.line;
    w.graph = line({ label: ' CPU % / Mem % ', minY: 0, maxY: 100, showLegend: true, legend: { width: 8 }, wholeNumbersOnly: true, style: { line: 'green', text: 'green', baseline: 'black' } });
    w.dialog.screen.append(w.graph);
  }
  const g = w.graph;
  g.top = top;
  g.left = 0;
  g.width = vm.width;
  g.height = vm.graph.lines;
  g.show();
  // Keep only as many points as the canvas can draw (two per column in braille).
  const points = Math.max(2, vm.width - 12);
  const series = (ys: readonly number[]): { x: string[]; y: number[] } => {
    const tail = ys.slice(-points);
    return { x: tail.map((_, i) => String(i - tail.length + 1)), y: [...tail] };
  };
  // Before the first refresh there is no point yet (blessed-contrib's line needs one): the canvas stays blank.
  if (vm.graph.cpu.length === 0) return;
  g.setData([
    { title: 'cpu', ...series(vm.graph.cpu), style: { line: 'green' } },
    { title: 'mem', ...series(vm.graph.mem), style: { line: 'yellow' } },
  ]);
}
