import { KeyContext } from '../view/keymap';
import { UiState } from '../view/ui-state';

/** Which part of KEYMAP applies in a UI mode. */
export function keyContextOf(state: UiState): KeyContext {
  switch (state.mode.kind) {
    case 'normal': return state.cgroupView.open ? 'cgroups' : 'table';
    case 'search': case 'filter': case 'input': case 'goto': return 'prompt';
    case 'confirm': case 'go-live': return 'confirm';
    case 'cgroup-confirm': return state.mode.plan.mustType !== undefined ? 'confirm-text' : 'confirm';
    case 'help': return 'help';
    case 'zombies': return 'zombies';
    case 'setup': return 'setup';
    case 'details': return 'details';
    case 'environ': return 'environ';
    default: return 'menu';
  }
}
