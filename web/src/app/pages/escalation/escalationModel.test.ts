import { describe, expect, it } from 'vitest';
import { bytesToBase64, nextStages, stageState } from './escalationModel';
import escalation from '../../messages/escalation';

describe('the legal stage stepper', () => {
  it('offers one step forward or closing, never back or skipping', () => {
    expect(nextStages('demand_letter')).toEqual(['filed', 'closed']);
    expect(nextStages('judgment')).toEqual(['enforcement', 'closed']);
    expect(nextStages('enforcement')).toEqual(['closed']);
    expect(nextStages('closed')).toEqual([]);
    expect(nextStages(null)).toEqual([]);
  });
  it('marks stages done, current and to do', () => {
    expect(stageState('judgment', 'filed')).toBe('done');
    expect(stageState('judgment', 'judgment')).toBe('current');
    expect(stageState('judgment', 'closed')).toBe('todo');
  });
});

describe('documents', () => {
  it('are padded base64', () => {
    expect(bytesToBase64(new TextEncoder().encode('ab'))).toBe('YWI=');
    expect(bytesToBase64(new Uint8Array(0x9000).fill(255)).length).toBe(Math.ceil(0x9000 / 3) * 4);
  });
});

describe('escalation messages', () => {
  it('have every key in both languages, and every stage and status', () => {
    expect(Object.keys(escalation.en).sort()).toEqual(Object.keys(escalation.es).sort());
    for (const s of ['demand_letter', 'filed', 'judgment', 'enforcement', 'closed']) expect(escalation.es[`escalation.stage.${s}`]).toBeTruthy();
    for (const s of ['reportable', 'waiting', 'notice_needed', 'paid']) expect(escalation.en[`escalation.bureau.status.${s}`]).toBeTruthy();
  });
});
