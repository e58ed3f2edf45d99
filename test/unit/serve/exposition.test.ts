import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTENT_TYPES, escapeLabelValue, formatValue, negotiate, render } from '../../../src/serve/exposition';
import { capSamples, MetricFamily } from '../../../src/serve/metric';

const counter: MetricFamily = { name: 'proctop_forks', type: 'counter', help: 'Forks.', samples: [{ labels: [], value: 7 }] };
const gauge: MetricFamily = { name: 'proctop_zombies_by_parent', type: 'gauge', help: 'Zombies.', samples: [{ labels: [['ppid', '42'], ['comm', 'x']], value: 3 }] };
const info: MetricFamily = { name: 'proctop_build', type: 'info', help: 'Build.', samples: [{ labels: [['version', '1.2.3']], value: 1 }] };
const seconds: MetricFamily = { name: 'proctop_exporter_scan_duration_seconds', type: 'gauge', unit: 'seconds', help: 'Scan.', samples: [{ labels: [], value: 0.5 }] };

test('a counter prints as NAME_total with HELP and TYPE on the same name in the 0.0.4 text format', () => {
  assert.equal(render([counter], 'text'), '# HELP proctop_forks_total Forks.\n# TYPE proctop_forks_total counter\nproctop_forks_total 7\n');
});

test('a counter prints TYPE on the family name and samples as NAME_total in OpenMetrics, which ends with # EOF', () => {
  assert.equal(render([counter], 'openmetrics'), '# TYPE proctop_forks counter\n# HELP proctop_forks Forks.\nproctop_forks_total 7\n# EOF\n');
});

test('an info metric is a gauge named NAME_info in text and type info in OpenMetrics', () => {
  assert.match(render([info], 'text'), /^# HELP proctop_build_info Build\.\n# TYPE proctop_build_info gauge\nproctop_build_info\{version="1\.2\.3"\} 1\n$/);
  assert.match(render([info], 'openmetrics'), /^# TYPE proctop_build info\n# HELP proctop_build Build\.\nproctop_build_info\{version="1\.2\.3"\} 1\n# EOF\n$/);
});

test('OpenMetrics names the unit of a family that has one', () => {
  assert.match(render([seconds], 'openmetrics'), /# UNIT proctop_exporter_scan_duration_seconds seconds\n/);
  assert.doesNotMatch(render([seconds], 'text'), /UNIT/);
});

test('labels print in order, comma-separated, values quoted', () => {
  assert.match(render([gauge], 'text'), /\nproctop_zombies_by_parent\{ppid="42",comm="x"\} 3\n/);
});

test('hostile label value: backslash, double quote and line feed are escaped, nothing else', () => {
  assert.equal(escapeLabelValue('a\\b"c\nd\te\x1b[2J}{é'), 'a\\\\b\\"c\\nd\te\x1b[2J}{é');
});

test('hostile process name in a label stays on one line in both formats', () => {
  const hostile: MetricFamily = { ...gauge, samples: [{ labels: [['comm', 'evil"} 1\nfake_metric 666']], value: 1 }] };
  for (const format of ['text', 'openmetrics'] as const) {
    const lines = render([hostile], format).split('\n');
    assert.ok(!lines.some((l) => l.startsWith('fake_metric')), `${format}: the name broke out of its label`);
    assert.ok(lines.includes('proctop_zombies_by_parent{comm="evil\\"} 1\\nfake_metric 666"} 1'));
  }
});

test('HELP escapes backslash and line feed; OpenMetrics also the double quote', () => {
  const f: MetricFamily = { ...counter, help: 'a\\b\n"c"' };
  assert.match(render([f], 'text'), /# HELP proctop_forks_total a\\\\b\\n"c"\n/);
  assert.match(render([f], 'openmetrics'), /# HELP proctop_forks a\\\\b\\n\\"c\\"\n/);
});

test('special values print as Prometheus reads them', () => {
  assert.deepEqual([NaN, Infinity, -Infinity, 0.25, 1796398767].map(formatValue), ['NaN', '+Inf', '-Inf', '0.25', '1796398767']);
});

test("Prometheus 2.x's Accept header gets OpenMetrics", () => {
  assert.equal(negotiate('application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'), 'openmetrics');
});

test('no Accept header, */*, text/plain, or only OpenMetrics 0.0.1 gets the text format', () => {
  for (const accept of [undefined, '*/*', 'text/plain', 'application/openmetrics-text;version=0.0.1', 'text/html']) assert.equal(negotiate(accept), 'text', String(accept));
});

test('text/plain weighted above OpenMetrics gets the text format', () => {
  assert.equal(negotiate('application/openmetrics-text;q=0.3, text/plain;q=0.9'), 'text');
  assert.equal(negotiate('application/openmetrics-text;q=0'), 'text');
});

test('content types are the ones Prometheus expects', () => {
  assert.equal(CONTENT_TYPES.text, 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(CONTENT_TYPES.openmetrics, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
});

test('capSamples keeps the largest N and sums the rest into one series', () => {
  const samples = [1, 5, 3, 4, 2].map((value, i) => ({ labels: [['i', String(i)]] as const, value }));
  const capped = capSamples(samples, 2, [['i', 'other']]);
  assert.deepEqual(capped.map((s) => [s.labels[0]?.[1], s.value]), [['1', 5], ['3', 4], ['other', 6]]);
  assert.equal(capSamples(samples, 5, [['i', 'other']]).length, 5);
});
