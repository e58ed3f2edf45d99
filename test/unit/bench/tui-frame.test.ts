import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { btopFrameShown, firstFrameShown } from '../../../bench/tui';

// Lines of a btop 1.2.13 capture at 200 columns: the mem and disks boxes share lines with the proc box.
const BTOP_HEADER = '│ Total:                           23.5 GiB ├────────────────────────────────────────────┤│    Pid: Program:         Command:                                    Threads: User:       MemB       Cpu%  │';
const BTOP_ROW = '├─Total:                           23.5 GiB─├────────────────────────────────────────────┤│   24337 btop             btop                                               3 root        6.4M ⣀⣀⣀⣀⣀  0.0 ↑│';
const BTOP_EMPTY = '├─Used:────────────────────────────1.29─GiB─┤                                            ││                                                                                                        │';
const MEM_DIGITS = '│   94   6%                                 │                                            ││                                                                                                        │';

describe('bench first-frame detectors', () => {
  it('btop: the proc box header with a process row under it is a frame', () => {
    assert.equal(btopFrameShown([BTOP_HEADER, BTOP_ROW].join('\n')), true);
  });

  it('btop: an empty proc box is not a frame, even when the mem box beside it starts with digits', () => {
    assert.equal(btopFrameShown([BTOP_HEADER, BTOP_EMPTY].join('\n')), false);
    assert.equal(btopFrameShown([BTOP_HEADER, MEM_DIGITS].join('\n')), false);
  });

  it('btop: proctop and htop headers are not btop frames', () => {
    assert.equal(btopFrameShown('    PID USER       PRI\n      1 root        20'), false);
  });

  it('proctop and htop: the PID … USER header with a row under it', () => {
    assert.equal(firstFrameShown('  CPU[|   3%]\n    PID USER       PRI\n      1 root        20'), true);
    assert.equal(firstFrameShown('    PID USER       PRI\n'), false);
  });
});
