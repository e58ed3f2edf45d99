/** Everything the user (or the clock) can ask of the screen. Keys map to these through KEYMAP. */
export type Command =
  | { readonly kind: 'move'; readonly delta: number }
  | { readonly kind: 'page'; readonly delta: number }
  | { readonly kind: 'home' }
  | { readonly kind: 'end' }
  | { readonly kind: 'select-row'; readonly row: number }
  | { readonly kind: 'scroll'; readonly delta: number }
  | { readonly kind: 'sort-by'; readonly column: string }
  | { readonly kind: 'sort-menu' }
  | { readonly kind: 'invert-sort' }
  | { readonly kind: 'toggle-tree' }
  | { readonly kind: 'collapse' }
  | { readonly kind: 'expand' }
  | { readonly kind: 'expand-all' }
  | { readonly kind: 'search' }
  | { readonly kind: 'search-next' }
  | { readonly kind: 'filter' }
  | { readonly kind: 'user-menu' }
  | { readonly kind: 'toggle-threads' }
  | { readonly kind: 'toggle-kernel' }
  | { readonly kind: 'toggle-follow' }
  | { readonly kind: 'toggle-pause' }
  | { readonly kind: 'toggle-graph' }
  | { readonly kind: 'tag' }
  | { readonly kind: 'tag-subtree' }
  /** Tag every process row the filter matched (never a dimmed tree ancestor kept for context). */
  | { readonly kind: 'tag-shown' }
  | { readonly kind: 'untag-all' }
  | { readonly kind: 'kill' }
  | { readonly kind: 'zombies' }
  /** Freeze, thaw or kill the selected process's cgroup (a menu with the preview, then a confirmation). */
  | { readonly kind: 'cgroup-menu' }
  /** Open or close the cgroup view. */
  | { readonly kind: 'cgroups' }
  /** Sort by the next (delta 1) or previous (-1) column of the view on screen. */
  | { readonly kind: 'sort-cycle'; readonly delta: number }
  | { readonly kind: 'setup' }
  | { readonly kind: 'details' }
  | { readonly kind: 'environ' }
  /** Setup screen: move the selected column left/right in the order. */
  | { readonly kind: 'shift'; readonly delta: number }
  /** Hand the terminal to a tool attached to the selected process (strace, lsof). */
  | { readonly kind: 'hand-off'; readonly tool: 'strace' | 'lsof' }
  /** Ask for a value, then run a util-linux tool on the selected process. */
  | { readonly kind: 'ask-tool'; readonly tool: 'taskset' | 'ionice' }
  | { readonly kind: 'cycle-scope'; readonly delta: number }
  /** Zombie view: signal the selected zombie's parent (SIGCHLD is sent without asking). */
  | { readonly kind: 'signal-parent'; readonly signal: number }
  | { readonly kind: 'nice'; readonly delta: number }
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' }
  /** Time travel (rewind ring or replay): ±n frames, ±ms, a typed time, back to live. */
  | { readonly kind: 'time-step'; readonly frames: number }
  | { readonly kind: 'time-shift'; readonly ms: number }
  | { readonly kind: 'time-goto' }
  | { readonly kind: 'time-live' }
  // Keys inside overlays (menus, prompts, confirmations):
  | { readonly kind: 'type'; readonly text: string }
  | { readonly kind: 'backspace' }
  | { readonly kind: 'erase'; readonly what: 'line' | 'word' }
  | { readonly kind: 'accept' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'yes' }
  | { readonly kind: 'no' };
