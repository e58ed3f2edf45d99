/**
 * The cgroup tree of a snapshot: the cgroups that hold listed processes,
 * with the ancestors that join them into one tree, and its display rows
 * (sorted siblings, collapsed subtrees, pstree-style guides).
 */
import type { CgroupInfo } from './snapshot';

/** One cgroup of the tree. */
export interface CgroupNode {
  /** Path as processes name it (`/system.slice/nginx.service`); `/` for the root. */
  readonly path: string;
  /** Last component of the path (`nginx.service`); `/` for the root. Raw: may hold any byte but `/`. */
  readonly name: string;
  /**
   * The sampler's numbers for this cgroup; undefined for an ancestor that
   * holds no listed process itself (proctop does not read its files).
   */
  readonly info: CgroupInfo | undefined;
  /**
   * Processes in this cgroup and its descendants: hierarchical, like the
   * kernel's own counters (memory.current, usage_usec include descendants).
   */
  readonly processes: number;
  readonly children: readonly CgroupNode[];
  readonly depth: number;
}

interface Building {
  path: string;
  name: string;
  info: CgroupInfo | undefined;
  processes: number;
  children: Building[];
  depth: number;
  parent: Building | undefined;
}

/** `/a/b/c` → ['a', 'b', 'c']; the root and empty components vanish. */
function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

/**
 * One tree rooted at `/` from a snapshot's cgroup rows. Ancestors that hold
 * no listed process are made as rows without numbers. Iterative, so a deep
 * hierarchy cannot overflow the stack.
 */
export function buildCgroupTree(cgroups: readonly CgroupInfo[]): CgroupNode {
  const root: Building = { path: '/', name: '/', info: undefined, processes: 0, children: [], depth: 0, parent: undefined };
  const byPath = new Map<string, Building>([['/', root]]);
  const all: Building[] = [root];
  for (const info of cgroups) {
    let node = root;
    let path = '';
    for (const name of components(info.path)) {
      path += `/${name}`;
      let next = byPath.get(path);
      if (next === undefined) {
        next = { path, name, info: undefined, processes: 0, children: [], depth: node.depth + 1, parent: node };
        byPath.set(path, next);
        node.children.push(next);
        all.push(next);
      }
      node = next;
    }
    node.info = info;
    node.processes += info.processes;
  }
  // Deepest first: each node's total is final before it is added to its parent's.
  for (const n of [...all].sort((a, b) => b.depth - a.depth)) if (n.parent) n.parent.processes += n.processes;
  return root;
}

/** One cgroup as a row of the view, in display order. */
export interface CgroupRow {
  readonly node: CgroupNode;
  /** Tree guide before the name (`│  ├─ `); empty for the root. */
  readonly guide: string;
  readonly hasChildren: boolean;
  readonly collapsed: boolean;
}

/** Guide columns kept before a row's branch; deeper levels are shown as `…`. */
const MAX_GUIDE_LEVELS = 12;

/**
 * The rows of a tree walked pre-order, siblings ordered by `compare`, the
 * subtrees of collapsed paths hidden.
 */
export function cgroupRows(root: CgroupNode, compare: (a: CgroupNode, b: CgroupNode) => number, isCollapsed: (path: string) => boolean): CgroupRow[] {
  const rows: CgroupRow[] = [];
  const stack: { node: CgroupNode; guide: string; columns: string }[] = [{ node: root, guide: '', columns: '' }];
  while (stack.length > 0) {
    const frame = stack.pop() as { node: CgroupNode; guide: string; columns: string };
    const { node } = frame;
    const hasChildren = node.children.length > 0;
    const collapsed = hasChildren && isCollapsed(node.path);
    rows.push({ node, guide: frame.guide, hasChildren, collapsed });
    if (!hasChildren || collapsed) continue;
    const children = [...node.children].sort(compare);
    // The root's children start at the left edge; below, each level adds a column.
    const columns = node === root ? '' : frame.columns;
    const kept = node.depth > MAX_GUIDE_LEVELS ? '…  ' : columns;
    for (let i = children.length - 1; i >= 0; i--) {
      const last = i === children.length - 1;
      const child = children[i] as CgroupNode;
      stack.push({ node: child, guide: `${kept}${last ? '└─ ' : '├─ '}`, columns: `${kept}${last ? '   ' : '│  '}` });
    }
  }
  return rows;
}
