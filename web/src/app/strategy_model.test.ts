import { describe, expect, it } from 'vitest';
import {
  addDays, conditionText, foldSimulation, lineRange, parseDay, parseList, parseStrategyJson, pointerLine, prettyJson,
  stageChannels, stagesWithDay, timelineExtent, timelineTicks, withActionField, withField, withStageField, type StrategyDoc,
} from './strategy_model';

const doc: StrategyDoc = {
  name: 'default',
  stages: [
    { key: 'overdue_7', day: 7, actions: [{ type: 'message', channel: 'best', fallback: ['whatsapp', 'sms'], tone: 'cordial' }, { type: 'call_task', channel: 'call', conditions: { segments: ['high_risk'] } }] },
    { key: 'before_due_7', day: -7, actions: [{ type: 'message', channel: 'email' }], conditions: { segments: ['occasional', 'new'] } },
    { key: 'legal', day: 120, actions: [{ type: 'letter', channel: 'letter' }] },
  ],
};

describe('timeline', () => {
  it('spans the earliest to the latest offset and keeps the due date', () => {
    expect(timelineExtent(doc)).toEqual({ min: -7, max: 120 });
    expect(timelineExtent({ name: 'x', stages: [{ key: 'a', day: 5, actions: [] }] })).toEqual({ min: 0, max: 5 });
    expect(timelineExtent({ name: 'x', stages: [{ key: 'a', actions: [] }] })).toEqual({ min: -1, max: 1 });
  });
  it('orders stages by day and skips those without one', () => {
    expect(stagesWithDay({ ...doc, stages: [...doc.stages, { key: 'nod', actions: [] }] }).map((s) => [s.key, s.index])).toEqual([
      ['before_due_7', 1], ['overdue_7', 0], ['legal', 2],
    ]);
  });
  it('puts round ticks with the due date among them', () => {
    const ticks = timelineTicks(-7, 120);
    expect(ticks).toContain(0);
    expect(ticks.length).toBeLessThanOrEqual(10);
    expect(ticks.every((d) => d >= -7 && d <= 120)).toBe(true);
  });
  it('lists a stage channels with fallbacks once, and its conditions', () => {
    expect(stageChannels(doc.stages[0])).toEqual(['best', 'whatsapp', 'sms', 'call']);
    expect(conditionText(doc.stages[1].conditions)).toEqual(['segments: occasional, new']);
  });
});

describe('edits', () => {
  it('changes a copy, never the original', () => {
    const changed = withStageField(doc, 0, 'day', 10);
    expect(changed.stages[0].day).toBe(10);
    expect(doc.stages[0].day).toBe(7);
    const toned = withActionField(doc, 0, 0, 'tone', 'firm');
    expect(toned.stages[0].actions[0].tone).toBe('firm');
    expect(doc.stages[0].actions[0].tone).toBe('cordial');
  });
  it('removes an optional field set to empty', () => {
    expect('fallback' in withActionField(doc, 0, 0, 'fallback', []).stages[0].actions[0]).toBe(false);
    expect('description' in withField({ ...doc, description: 'x' }, 'description', '')).toBe(false);
    expect(withField(doc, 'name', '').name).toBe('');
  });
  it('parses lists and days as typed', () => {
    expect(parseList('whatsapp, sms  email')).toEqual(['whatsapp', 'sms', 'email']);
    expect(parseDay('-3')).toBe(-3);
    expect(parseDay('+15')).toBe(15);
    expect(parseDay('')).toBeUndefined();
    expect(parseDay('x1')).toBe('x1');
  });
  it('parses raw JSON or says why not', () => {
    expect(parseStrategyJson('{"name":"a","stages":[]}').doc?.name).toBe('a');
    expect(parseStrategyJson('{"name":').error).toBeTruthy();
    expect(parseStrategyJson('[1]').error).toBeTruthy();
  });
});

describe('pointerLine', () => {
  it('finds the line a JSON Pointer names in the pretty JSON', () => {
    const text = prettyJson(doc);
    const line = pointerLine(doc, '/stages/0/actions/1/channel');
    expect(text.split('\n')[line - 1]).toContain('"channel": "call"');
    expect(text.split('\n')[pointerLine(doc, '/stages/2/day') - 1]).toContain('"day": 120');
  });
  it('falls back to the parent for a missing member', () => {
    const text = prettyJson(doc);
    expect(text.split('\n')[pointerLine(doc, '/stages/1/nope') - 1]).toContain('{');
    expect(pointerLine(doc, '/bogus')).toBe(1);
  });
  it('gives a line range to select', () => {
    expect(lineRange('ab\ncde\nf', 2)).toEqual([3, 6]);
    expect(lineRange('ab', 9)).toEqual([0, 2]);
  });
});

describe('foldSimulation', () => {
  it('counts contacts per channel per day over the window', () => {
    const contacts = [
      { day: '2026-12-04', channel: 'email', action: 'message', stage: 'a', customer_external_id: '1' },
      { day: '2026-12-04', channel: 'sms', action: 'message', stage: 'a', customer_external_id: '2' },
      { day: '2026-12-04', channel: 'email', action: 'message', stage: 'b', customer_external_id: '3' },
      { day: '2026-12-06', channel: 'call', action: 'call_task', stage: 'b', customer_external_id: '1' },
      { day: '2027-01-30', channel: 'email', action: 'message', stage: 'b', customer_external_id: '1' },
    ];
    const series = foldSimulation(contacts, '2026-12-04', 3);
    expect(series.days).toEqual(['2026-12-04', '2026-12-05', '2026-12-06']);
    expect(series.channels).toEqual(['email', 'sms', 'call']);
    expect(series.counts.email).toEqual([2, 0, 0]);
    expect(series.counts.call).toEqual([0, 0, 1]);
    expect(series.totals).toEqual({ email: 2, sms: 1, call: 1 });
    expect(series.byStage).toEqual({ a: 2, b: 2 });
    expect(series.total).toBe(4);
    expect(series.peak).toEqual({ day: '2026-12-04', count: 3 });
  });
  it('adds calendar days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});
