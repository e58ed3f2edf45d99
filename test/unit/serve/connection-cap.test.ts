import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { ConnectionCap } from '../../../src/serve/connection-cap';

/** Just what the cap uses of a socket: `once('close')` and `destroy()`, which emits close as a real one does. */
function fakeSocket(): Socket & { destroyedByCap: boolean } {
  const s = new EventEmitter() as EventEmitter & { destroyedByCap: boolean; destroy: () => void };
  s.destroyedByCap = false;
  s.destroy = () => {
    s.destroyedByCap = true;
    s.emit('close');
  };
  return s as unknown as Socket & { destroyedByCap: boolean };
}

test('under the cap every connection is admitted', () => {
  const cap = new ConnectionCap(3);
  const sockets = [fakeSocket(), fakeSocket(), fakeSocket()];
  for (const s of sockets) cap.admit(s);
  assert.equal(cap.size, 3);
  assert.ok(sockets.every((s) => !s.destroyedByCap));
});

test('over the cap the oldest idle connection is closed, not the newcomer', () => {
  const cap = new ConnectionCap(2);
  const [a, b, c] = [fakeSocket(), fakeSocket(), fakeSocket()];
  cap.admit(a);
  cap.admit(b);
  cap.admit(c);
  assert.deepEqual([a.destroyedByCap, b.destroyedByCap, c.destroyedByCap], [true, false, false]);
  assert.equal(cap.size, 2);
  assert.equal(cap.evicted, 1);
});

test('a connection serving a request is never evicted; an idle one behind it is', () => {
  const cap = new ConnectionCap(2);
  const [busy, idle, next] = [fakeSocket(), fakeSocket(), fakeSocket()];
  cap.admit(busy);
  cap.admit(idle);
  cap.requestStarted(busy);
  cap.admit(next);
  assert.deepEqual([busy.destroyedByCap, idle.destroyedByCap, next.destroyedByCap], [false, true, false]);
});

test('when every connection is busy the newcomer is refused', () => {
  const cap = new ConnectionCap(1);
  const [busy, next] = [fakeSocket(), fakeSocket()];
  cap.admit(busy);
  cap.requestStarted(busy);
  cap.admit(next);
  assert.deepEqual([busy.destroyedByCap, next.destroyedByCap], [false, true]);
});

test('a connection that finished a request goes to the back of the eviction order', () => {
  const cap = new ConnectionCap(2);
  const [first, second, third] = [fakeSocket(), fakeSocket(), fakeSocket()];
  cap.admit(first);
  cap.admit(second);
  cap.requestStarted(first);
  cap.requestDone(first);
  cap.admit(third);
  assert.deepEqual([first.destroyedByCap, second.destroyedByCap, third.destroyedByCap], [false, true, false]);
});

test('a closed connection frees its place', () => {
  const cap = new ConnectionCap(1);
  const [a, b] = [fakeSocket(), fakeSocket()];
  cap.admit(a);
  a.emit('close');
  cap.admit(b);
  assert.equal(b.destroyedByCap, false);
  assert.equal(cap.size, 1);
});
