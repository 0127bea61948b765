// The cron check agrees with what Temporal Schedules accept (each accepted
// form below was also accepted by the Temporal dev server, and each refused
// one was refused by it or would be misread: "1#2" is a comment to Temporal,
// so the schedule would run every Monday).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronProblem } from '../../../api/cron-expression.js';

test('accepts the forms Temporal reads as intended', () => {
  for (const c of [
    '0 2 * * *',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
    '0 2 * * MON-FRI',
    '0 2 1 jan-mar 0-7',
    '*/15 0-23/2 * * *',
    '5/10 * * * *',
    '0 12 * * * 2030',
    '0 0 12 * * * 2030',
    '30 2 * * sun,7',
    '  0 2 * * *  ',
  ]) {
    assert.equal(cronProblem(c), undefined, c);
  }
});

test('refuses malformed expressions, saying why', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty/],
    ['not a cron', /expected 5, 6 or 7 fields, got 3/],
    ['* * *', /got 3/],
    ['61 * * * *', /minute 61 is out of range 0-59/],
    ['0 24 * * *', /hour 24 is out of range/],
    ['0 0 0 * *', /day of month 0 is out of range 1-31/],
    ['0 0 1 13 *', /month 13/],
    ['0 0 * * 8', /day of week 8/],
    ['0 5-2 * * *', /runs backwards/],
    ['*/0 * * * *', /step "0"/],
    ['1,,2 * * * *', /not a value, range or step/],
    ['0 0 L * *', /day of month "L" is not a number/],
    ['0 0 ? * *', /"\?" is not a number/],
    ['0 0 * * 1#2', /"#"/],
    ['0 0 * * * # nightly', /"#"/],
    ['@every 5m', /use an interval/],
    ['@fortnightly', /unknown shorthand/],
    ['CRON_TZ=Europe/Berlin 0 2 * * *', /timeZone/],
    ['0 0 * foo *', /month "foo" is not a number or a name \(JAN…DEC\)/],
    ['0 0 1 1 * 1969', /year 1969 is out of range/],
  ];
  for (const [c, why] of cases) assert.match(cronProblem(c) ?? 'accepted', why, c);
});
