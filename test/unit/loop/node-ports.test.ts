import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { processExitHooks, SignalEmitter } from '../../../src/loop/node-ports';

test('exit hooks: SIGTERM and SIGHUP terminate, SIGINT interrupts, both crash events crash; removal leaves no listener', () => {
  const proc = new EventEmitter();
  const calls: string[] = [];
  const remove = processExitHooks(proc as unknown as SignalEmitter)({
    terminate: () => calls.push('terminate'),
    interrupt: () => calls.push('interrupt'),
    crash: (err) => calls.push(`crash ${String(err)}`),
  });
  for (const event of ['SIGTERM', 'SIGHUP', 'SIGINT']) proc.emit(event);
  proc.emit('uncaughtException', 'e1');
  proc.emit('unhandledRejection', 'e2');
  assert.deepEqual(calls, ['terminate', 'terminate', 'interrupt', 'crash e1', 'crash e2']);
  remove();
  assert.deepEqual(proc.eventNames(), []);
});
