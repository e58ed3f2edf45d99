/**
 * Process tree: turns the flat process list of a snapshot into parent/child
 * nodes, and those into display rows with pstree-style guides.
 *
 * Nothing here recurses: /proc can hand us chains tens of thousands deep, and a
 * torn read (a process re-parented while we scan) can even produce parent cycles.
 */
import { PROCESS_STATES, type ProcessInfo, type ProcessState, type StateCounts } from './snapshot';

/** One process (or thread) in the tree. */
export interface TreeNode {
  readonly process: ProcessInfo;
  /** 0 for roots. */
  readonly depth: number;
  /** Ordered by the forest's comparator. */
  readonly children: readonly TreeNode[];
  /** Undefined for roots. */
  readonly parent: TreeNode | undefined;
}

/** The whole tree of one snapshot (several roots, hence a forest). */
export interface Forest {
  /** Ordered by the forest's comparator. */
  readonly roots: readonly TreeNode[];
  /** By pid. When two rows share a pid (a main-thread row and its process), the process row wins. */
  readonly byPid: ReadonlyMap<number, TreeNode>;
  /** Zombies (state 'Z', processes only, not threads) grouped by their parent pid, each list ordered by pid. */
  readonly zombiesByParent: ReadonlyMap<number, readonly ProcessInfo[]>;
  /** Counts per state of processes (threads excluded); all keys of ProcessState present, zero when none. */
  readonly states: StateCounts;
}

/** One display row of a flattened forest. */
export interface FlatRow {
  readonly node: TreeNode;
  readonly depth: number;
  /**
   * pstree/htop guide prefix, e.g. "│  ├─ "; empty for roots. A row with more than
   * {@link GUIDE_MAX_LEVELS} ancestor columns shows only the nearest ones, after "…".
   */
  readonly guide: string;
  /** True when the node has children that would be shown (those passing `include`) were it expanded. */
  readonly hasChildren: boolean;
  /** True when the node has children and they are hidden because `isCollapsed` said so. */
  readonly collapsed: boolean;
}

/** Ancestor columns kept in a guide; bounds each guide to 1 + 3 × 100 + 3 characters. */
export const GUIDE_MAX_LEVELS = 100;

interface MutableNode {
  readonly process: ProcessInfo;
  depth: number;
  readonly children: MutableNode[];
  parent: MutableNode | undefined;
}

const byPidAscending = (a: ProcessInfo, b: ProcessInfo): number => a.pid - b.pid;

function parentPid(p: ProcessInfo): number {
  return p.thread ? p.tgid : p.ppid;
}

/**
 * Builds the process forest. The parent of a process is its `ppid`, of a thread row its `tgid`;
 * a row whose parent is absent or is the row itself is a root. Roots and children are ordered
 * by `compare` (default: pid ascending), stably. A parent cycle is cut by making its member
 * with the lowest pid a root, so every input row ends up in the forest exactly once.
 */
export function buildForest(
  processes: readonly ProcessInfo[],
  compare: (a: ProcessInfo, b: ProcessInfo) => number = byPidAscending,
): Forest {
  const nodes: MutableNode[] = processes.map((process) => ({ process, depth: 0, children: [], parent: undefined }));
  const byPid = indexByPid(nodes);
  for (const node of nodes) {
    const parent = byPid.get(parentPid(node.process));
    node.parent = parent === node ? undefined : parent;
  }
  breakCycles(nodes);
  const roots = attachChildren(nodes, compare);
  assignDepths(roots);
  return { roots, byPid, zombiesByParent: groupZombies(processes), states: countStates(processes) };
}

function indexByPid(nodes: readonly MutableNode[]): Map<number, MutableNode> {
  const byPid = new Map<number, MutableNode>();
  for (const node of nodes) {
    const seen = byPid.get(node.process.pid);
    // A main-thread row shares its pid with its process; the process must own it so the thread hangs below.
    if (seen === undefined || (seen.process.thread && !node.process.thread)) byPid.set(node.process.pid, node);
  }
  return byPid;
}

/** Cuts every parent cycle by making its lowest-pid member a root (lowest pid: independent of read order). */
function breakCycles(nodes: readonly MutableNode[]): void {
  // Each node is walked once: a walk stops at the first node an earlier walk (or this one) already saw.
  const walkOf = new Map<MutableNode, number>();
  nodes.forEach((start, walk) => {
    const path: MutableNode[] = [];
    let cur: MutableNode | undefined = start;
    while (cur !== undefined && !walkOf.has(cur)) {
      walkOf.set(cur, walk);
      path.push(cur);
      cur = cur.parent;
    }
    if (cur === undefined || walkOf.get(cur) !== walk) return;
    const cycle = path.slice(path.indexOf(cur));
    const lowest = cycle.reduce((a, b) => (b.process.pid < a.process.pid ? b : a));
    lowest.parent = undefined;
  });
}

function attachChildren(
  nodes: readonly MutableNode[],
  compare: (a: ProcessInfo, b: ProcessInfo) => number,
): MutableNode[] {
  const roots: MutableNode[] = [];
  for (const node of nodes) (node.parent === undefined ? roots : node.parent.children).push(node);
  // Array.prototype.sort is stable, so equal keys keep input order.
  const order = (a: MutableNode, b: MutableNode): number => compare(a.process, b.process);
  for (const node of nodes) if (node.children.length > 1) node.children.sort(order);
  return roots.sort(order);
}

function assignDepths(roots: readonly MutableNode[]): void {
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const child of node.children) {
      child.depth = node.depth + 1;
      queue.push(child);
    }
  }
}

function groupZombies(processes: readonly ProcessInfo[]): Map<number, ProcessInfo[]> {
  const groups = new Map<number, ProcessInfo[]>();
  for (const p of processes) {
    if (p.thread || p.state !== 'Z') continue;
    const list = groups.get(p.ppid);
    if (list === undefined) groups.set(p.ppid, [p]);
    else list.push(p);
  }
  for (const list of groups.values()) list.sort(byPidAscending);
  return groups;
}

/** Counts processes per state, threads excluded; every state key is present. Unknown letters count as '?'. */
export function countStates(processes: readonly ProcessInfo[]): StateCounts {
  const keys: readonly ProcessState[] = [...PROCESS_STATES, '?'];
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<ProcessState, number>;
  for (const p of processes) {
    if (p.thread) continue;
    counts[Object.hasOwn(counts, p.state) ? p.state : '?'] += 1;
  }
  return counts;
}

/** Nodes in pre-order (each node before its children, children in order). */
function preOrder(starts: readonly TreeNode[]): TreeNode[] {
  const out: TreeNode[] = [];
  const stack = [...starts].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return out;
}

/** The node with this pid and all its descendants, in pre-order; empty when the pid is unknown. */
export function subtreeOf(forest: Forest, pid: number): ProcessInfo[] {
  const node = forest.byPid.get(pid);
  return node === undefined ? [] : preOrder([node]).map((n) => n.process);
}

/** Nodes for which `include` holds or that have such a descendant. */
function keptNodes(roots: readonly TreeNode[], include: (p: ProcessInfo) => boolean): Set<TreeNode> {
  const order = preOrder(roots);
  const kept = new Set<TreeNode>();
  // Reverse pre-order is a post-order: every child is decided before its parent.
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    if (!kept.has(node) && !include(node.process)) continue;
    kept.add(node);
    if (node.parent !== undefined) kept.add(node.parent);
  }
  return kept;
}

interface Frame {
  readonly node: TreeNode;
  readonly guide: string;
  /** Guide columns the node's children inherit: the last GUIDE_MAX_LEVELS of them. */
  readonly columns: string;
  /** How many columns the children inherit in total, capped or not. */
  readonly levels: number;
}

function childFrame(parent: Frame, node: TreeNode, last: boolean): Frame {
  const ellipsis = parent.levels > GUIDE_MAX_LEVELS ? '…' : '';
  const next = parent.columns + (last ? '   ' : '│  ');
  // Capping keeps each row O(1) to build, so a deep chain stays linear rather than quadratic.
  const columns = next.length > GUIDE_MAX_LEVELS * 3 ? next.slice(3) : next;
  return { node, guide: ellipsis + parent.columns + (last ? '└─ ' : '├─ '), columns, levels: parent.levels + 1 };
}

/**
 * Flattens the forest into display rows in pre-order. `isCollapsed(p)` true hides that node's
 * descendants (the node itself stays). With `include`, only nodes it accepts and their ancestors
 * are kept; a collapsed node with an accepted descendant stays, its descendants stay hidden.
 */
export function flattenForest(
  forest: Forest,
  isCollapsed: (p: ProcessInfo) => boolean = () => false,
  include?: (p: ProcessInfo) => boolean,
): FlatRow[] {
  const kept = include === undefined ? undefined : keptNodes(forest.roots, include);
  const visible = (nodes: readonly TreeNode[]): readonly TreeNode[] =>
    kept === undefined ? nodes : nodes.filter((n) => kept.has(n));
  const rows: FlatRow[] = [];
  // Roots contribute no guide column: their children start with "├─ "/"└─ " directly.
  const stack: Frame[] = visible(forest.roots).map((node) => ({ node, guide: '', columns: '', levels: 0 })).reverse();
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { node } = frame;
    const children = visible(node.children);
    const hasChildren = children.length > 0;
    const collapsed = hasChildren && isCollapsed(node.process);
    rows.push({ node, depth: node.depth, guide: frame.guide, hasChildren, collapsed });
    if (collapsed) continue;
    for (let i = children.length - 1; i >= 0; i--) stack.push(childFrame(frame, children[i], i === children.length - 1));
  }
  return rows;
}
